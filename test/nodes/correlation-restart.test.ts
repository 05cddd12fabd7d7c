/**
 * Receipt correlation across a REAL restart: Node-RED 4.1 as a child process
 * (our package loaded from this repository through nodesDir), the gateway's
 * correlation store in a localfilesystem context store. A message is sent,
 * Node-RED is stopped (SIGINT) before the SMSC sends its receipt, started
 * again on the same user directory, and the receipt that arrives then must
 * come out of smpp-dlr matched to the original msg.
 *
 * The simulator runs in this process with receipts delayed and held for the
 * next bind of the account (holdReceipts), as a real SMSC keeps receipts it
 * could not deliver. Outputs are read through HTTP endpoints of the flow.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { SmscSimulator, receiptIdOf } from '../../src/simulator';
import { redChild, RedChild, until } from '../helpers/red-child';
import { sendDlrHttpFlow } from '../helpers/send-dlr-http-flow';

describe('receipt correlation across a real Node-RED restart (localfilesystem context store)', function () {
  this.timeout(150000);
  let sim: SmscSimulator;
  let red: RedChild;
  const log = () => red?.log() ?? '';

  function contextFile(): string {
    const f = path.join(red.userDir, 'context', 'gw1', 'flow.json');
    return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
  }

  before(async () => {
    sim = new SmscSimulator({
      port: 0,
      accounts: [{ systemId: 'esme', password: 'secret1' }],
      // long enough for Node-RED to be stopped first; held while no session is bound
      receiptDelayMs: 6000,
      holdReceipts: true,
      messageIdFormat: 'hex',
      receiptIdFormat: 'decimal',
    });
    await sim.start();
    const z = 't1';
    const flow = sendDlrHttpFlow(z, 'restart', {
      name: 'restart gw', host: '127.0.0.1', port: sim.port, bindMode: 'transceiver',
      reconnectMin: 100, reconnectMax: 500, heartbeatInterval: 5000, transactionTimeout: 2000, registeredDelivery: '1',
      messageFormat: 'auto', splitMode: 'concatenated', correlationStore: 'file', messageIdForm: 'auto',
    });
    red = await redChild(flow, { gw1: { systemId: 'esme', password: 'secret1' } }, {
      settings: { contextStorage: { default: { module: 'memory' }, file: { module: 'localfilesystem', config: { flushInterval: 1 } } } },
    });
  });

  after(async () => {
    await red?.dispose();
    await sim?.stop();
  });

  it('matches a receipt that arrives after Node-RED was stopped and started again', async () => {
    // --- first run: send, then stop before the receipts are due
    red.start();
    await until(async () => ((await red.http('GET', '/dlrs')).status === 200 ? true : undefined), 'Node-RED to start', 40000, log);
    await until(() => (sim.stats().binds >= 1 ? true : undefined), 'the gateway to bind', 20000, log);
    const short = await red.http('POST', '/send', { text: 'before the restart', to: '+46700000001', correlationId: 'restart-1' });
    const long = await red.http('POST', '/send', { text: 'L'.repeat(300), to: '+46700000002', correlationId: 'restart-long' });
    assert.equal(short.status, 200);
    assert.equal(short.json.error, null, JSON.stringify(short.json));
    assert.equal(long.json.error, null, JSON.stringify(long.json));
    const shortId: string = short.json.smpp.messageId;
    const longIds: string[] = long.json.smpp.messageIds;
    assert.equal(longIds.length, 2);
    const code = await red.stop('SIGINT', 20000);
    assert.equal(code, 0, `Node-RED stopped cleanly\n${log().slice(-3000)}`);
    assert.equal(sim.stats().receiptsSent, 0, 'no receipt reached the first Node-RED: this test did restart between submit and receipt');
    const saved = contextFile();
    assert.match(saved, /restart-1/, 'the remembered message is in the file store');
    assert.match(saved, /restart-long/);

    // --- second run on the same user directory
    const bindsBefore = sim.stats().binds;
    red.start();
    await until(() => (sim.stats().binds > bindsBefore ? true : undefined), 'the gateway to bind again', 40000, log);
    const dlrs: any[] = await until(async () => {
      const r = await red.http('GET', '/dlrs');
      return r.status === 200 && r.json.length >= 2 ? r.json : undefined;
    }, 'two delivery reports after the restart', 40000, log);
    assert.equal(sim.stats().receiptsSent, 3, 'three part receipts, all after the restart');

    const one = dlrs.find((d) => d.payload.messageId === receiptIdOf(shortId, 'hex', 'decimal'));
    assert.ok(one, JSON.stringify(dlrs));
    assert.equal(one.payload.unmatched, false);
    assert.equal(one.payload.state, 'DELIVERED');
    assert.equal(one.sent.correlationId, 'restart-1');
    assert.equal(one.correlationId, 'restart-1');
    assert.equal(one.sent.to, '+46700000001');

    const folded = dlrs.find((d) => d.sent && d.sent.correlationId === 'restart-long');
    assert.ok(folded, JSON.stringify(dlrs));
    assert.equal(folded.payload.unmatched, false);
    assert.equal(folded.payload.state, 'DELIVERED');
    assert.deepEqual(folded.payload.parts.map((p: any) => p.messageId), longIds);
    assert.equal(dlrs.length, 2, 'the two parts folded into one report, nothing unmatched');

    // --- the final receipts removed the entries from the store
    const code2 = await red.stop('SIGINT', 20000);
    assert.equal(code2, 0);
    const after = contextFile();
    assert.doesNotMatch(after, /smppdlr_/, `the store is empty of our entries: ${after.slice(0, 500)}`);
  });
});
