import assert from 'node:assert/strict';
import { PARAMETERS, PARAMETERS_BY_KEY } from '../../src/config/parameters';
import { parseGatewayConfig } from '../../src/config/gateway-config';

/** Every parameter named on the reference page (shared/reference/aicc-sms-gateway-page.txt), with its default there. */
const PAGE: Array<[string, unknown]> = [
  ['SMG Address', undefined], ['SMG Port', undefined], ['Receiving And Sending Mode', 'transceiver'], ['SMPP PDU Type', 'submit_sm'],
  ['Sender ID Prefix', undefined], ['Accepted Number Prefix', undefined], ['Default sender ID', undefined],
  ['Client Port', 0], ['Port for receiving upstream messages', 0], ['Heartbeat Interval(ms)', 30000],
  ['Max Connection Times Upon No Heartbeat Response', 3], ['Resending Times', 0], ['Resending Waiting Time(ms)', 0],
  ['Receiving Timeout Interval(ms)', 180000], ['Max Error Packets Received', 10], ['Sliding Window Size', 16],
  ['Transaction Timeout Interval(ms)', 6000], ['Max Message Length (bytes)', 2048], ['Oversized SMS Splitting Mode', 'disabled'],
  ['Max Content Length(bytes)', 140], ['Min Sending Thread Pools', 20], ['Max Sending Thread Pools', 200],
  ['Sending Thread Pool Queue Length', 2000], ['Min Receiving Thread Pools', 20], ['Max Receiving Thread Pools', 200],
  ['Receiving Thread Pool Queue Length', 2000], ['Max Receiving Rate', ''], ['Max Sending Rate', ''], ['Extra Traffic Processing Policy', ''],
  ['Long Message Concatenation Mode', 'udh'], ['ESME Type', ''], ['ESME Address Type Code', undefined], ['ESME Address Encoding Mode', undefined],
  ['ESME Address Range', ''], ['Service Type', ''], ['Source Address Code Type', 0], ['Source Address Code Scheme', 0],
  ['Destination Address Code Type', 0], ['Destination Address Code Scheme', 0], ['Message Type', 0], ['Message Format', 'ascii'],
  ['Protocol ID', 0], ['Return Status Confirmation Report', '2'], ['Replacement Flag', '0'], ['Default Message ID', 0],
];

describe('gateway parameters', () => {
  it('cover every parameter of the reference page and record its default there; a different default of ours says why', () => {
    const byPage = new Map(PARAMETERS.filter((p) => p.page).map((p) => [p.page, p]));
    for (const [name, def] of PAGE) {
      const p = byPage.get(name);
      assert.ok(p, `the page's "${name}" has no config field`);
      if (def === undefined) continue;
      // the page's default: ours, or recorded beside ours
      assert.equal(p.pageDefault ?? p.default, def, `the page's default of "${name}"`);
      if (p.pageDefault !== undefined) {
        assert.notEqual(p.default, p.pageDefault, `"${name}": pageDefault is recorded only when ours differs`);
        assert.ok(p.differs && p.differs.length > 10, `"${name}": our default ${String(p.default)} differs from the page's ${String(def)} and must say why`);
      }
    }
    assert.equal(byPage.size, PAGE.length, 'no invented page names');
    for (const p of PARAMETERS) assert.equal(p.differs === undefined, p.pageDefault === undefined, `${p.key}: pageDefault and differs go together`);
  });

  it('default to a gateway that sends any text of any length (auto, concatenated)', () => {
    const r = parseGatewayConfig({ host: '127.0.0.1' });
    assert.equal(r.config?.messageFormat, 'auto');
    assert.equal(r.config?.splitMode, 'concatenated');
  });

  it('have unique keys and defaults inside their own ranges', () => {
    assert.equal(PARAMETERS_BY_KEY.size, PARAMETERS.length);
    const r = parseGatewayConfig({});
    assert.deepEqual(r.errors, []);
    assert.ok(r.config);
  });

  it('parse editor strings into numbers and keep enum values', () => {
    const r = parseGatewayConfig({ port: '2776', windowSize: '64', trafficPolicy: '1', maxSendRate: '100', maxReceiveRate: '50', sourceAddrTon: 'auto' });
    assert.deepEqual(r.errors, []);
    assert.equal(r.config?.port, 2776);
    assert.equal(r.config?.windowSize, 64);
    assert.equal(r.config?.trafficPolicy, 'delay');
    assert.equal(r.config?.sourceAddrTon, 'auto');
  });

  it('shareInstances: off by default; the old key shareSendRate still turns it on, the new key wins', () => {
    assert.equal(parseGatewayConfig({ host: '127.0.0.1' }).config?.shareInstances, false);
    assert.equal(parseGatewayConfig({ host: '127.0.0.1', shareSendRate: true }).config?.shareInstances, true);
    assert.equal(parseGatewayConfig({ host: '127.0.0.1', shareSendRate: true, shareInstances: false }).config?.shareInstances, false);
    assert.match(parseGatewayConfig({ host: '127.0.0.1', shareSendRate: 'yes' }).errors.join(' '), /shareInstances must be true or false/);
  });

  const BAD: Array<[Record<string, unknown>, RegExp]> = [
    [{ transactionTimeout: 30000 }, /transactionTimeout \(Transaction Timeout Interval\) 30000 ms must be less than heartbeatInterval/],
    [{ heartbeatInterval: 200000 }, /heartbeatInterval \(Heartbeat Interval\) 200000 ms must be less than receiveTimeout/],
    [{ port: 70000 }, /port \(SMG Port\) must be a whole number from 1 to 65535/],
    [{ port: 'abc' }, /port \(SMG Port\) must be a whole number/],
    [{ windowSize: 5 }, /windowSize \(Sliding Window Size\) must be a whole number from 10 to 99999/],
    [{ bindMode: 'both' }, /bindMode \(Receiving And Sending Mode\) must be one of transceiver, receiver, transmitter/],
    [{ maxSendRate: 10 }, /must be all empty or all set/],
    [{ senderIdPrefix: '12-3' }, /senderIdPrefix \(Sender ID Prefix\) must be letters and digits/],
    [{ acceptedNumberPrefix: 'abc' }, /acceptedNumberPrefix \(Accepted Number Prefix\) must be digits/],
    [{ systemType: 'x'.repeat(13) }, /systemType \(ESME Type\) is 13 characters; at most 12/],
    [{ addrTon: 28 }, /addrTon \(ESME Address Type Code\) must be a whole number from 0 to 27/],
    [{ minSendThreads: 300 }, /minSendThreads .* must not exceed maxSendThreads/],
    [{ host: '' }, /host \(SMG Address\) is required/],
    [{ sourceAddrNpi: 'x' }, /sourceAddrNpi \(Source Address Code Scheme\) must be auto or a whole number/],
  ];
  for (const [raw, re] of BAD) {
    it(`refuses ${JSON.stringify(raw)} naming the parameter`, () => {
      const r = parseGatewayConfig({ host: '127.0.0.1', ...raw });
      assert.equal(r.config, null);
      assert.ok(r.errors.some((e) => re.test(e)), r.errors.join(' | '));
    });
  }
});
