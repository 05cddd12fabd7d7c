import assert from 'node:assert/strict';
import * as net from 'net';
import { PDU } from 'smpp';
import {
  MAX_PENDING,
  OutbindListener,
  outbindListenHost,
  sameSecret,
} from '../../src/engine/outbind-listener';
import { readOutbind } from '../../src/smpp/outbind-pdu';

function outbindPdu(systemId: string, password: string): Buffer {
  return new PDU('outbind', { sequence_number: 1, system_id: systemId, password }).toBuffer();
}

/** a PDU built by hand: header + body */
function raw(commandId: number, body: Buffer): Buffer {
  const b = Buffer.alloc(16 + body.length);
  b.writeUInt32BE(b.length, 0);
  b.writeUInt32BE(commandId, 4);
  b.writeUInt32BE(1, 12);
  body.copy(b, 16);
  return b;
}

describe('outbind: reading the outbind PDU', () => {
  it('reads system_id and password', () => {
    assert.deepEqual(readOutbind(outbindPdu('smsc1', 'pw')), { ok: true, systemId: 'smsc1', password: 'pw' });
    assert.deepEqual(readOutbind(outbindPdu('', '')), { ok: true, systemId: '', password: '' });
  });
  const bad: [string, Buffer, RegExp][] = [
    ['shorter than a header', Buffer.alloc(10), /shorter than an SMPP header/],
    ['command_length not the size', (() => { const b = outbindPdu('a', 'b'); b.writeUInt32BE(99, 0); return b; })(), /does not match/],
    ['another command (bind_receiver)', new PDU('bind_receiver', { system_id: 'a', password: 'b' }).toBuffer(), /expected outbind, got command_id 0x00000001/],
    ['an outbind response id', raw(0x8000000b, Buffer.from('a\0b\0')), /expected outbind/],
    ['system_id without NUL', raw(0x0b, Buffer.from('abc')), /system_id is not a C-string/],
    ['password without NUL', raw(0x0b, Buffer.from('a\0pw')), /password is not a C-string/],
  ];
  for (const [what, buf, re] of bad) {
    it(`refuses: ${what}`, () => {
      const r = readOutbind(buf);
      assert.equal(r.ok, false);
      assert.match((r as { error: string }).error, re);
    });
  }
  it('reads a system_id over 15 and a password over 8 characters whole, as the bind sends them', () => {
    assert.deepEqual(readOutbind(raw(0x0b, Buffer.from('x'.repeat(16) + '\0pw\0'))), { ok: true, systemId: 'x'.repeat(16), password: 'pw' });
    assert.deepEqual(readOutbind(raw(0x0b, Buffer.from('a\x00123456789\x00'))), { ok: true, systemId: 'a', password: '123456789' });
  });
  it('never quotes the password in an error', () => {
    const r = readOutbind(raw(0x0b, Buffer.from('a\0Secr3t-toolong')));
    assert.equal(r.ok, false);
    assert.ok(!(r as { error: string }).error.includes('Secr3t'));
  });
  it('compares secrets exactly', () => {
    assert.equal(sameSecret('abc', 'abc'), true);
    assert.equal(sameSecret('abc', 'abd'), false);
    assert.equal(sameSecret('abc', 'abcd'), false);
    assert.equal(sameSecret('', ''), true);
  });
});

describe('outbind: where the listener listens', () => {
  const cases: [string, string | undefined][] = [
    ['127.0.0.1', '127.0.0.1'],
    ['127.1.2.3', '127.0.0.1'],
    ['localhost', '127.0.0.1'],
    ['LOCALHOST', '127.0.0.1'],
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['smsc.example.com', undefined],
    ['10.0.0.5', undefined],
    ['2001:db8::1', undefined],
  ];
  for (const [host, expected] of cases) {
    it(`SMSC at ${host} -> ${expected ?? 'every interface'}`, () => assert.equal(outbindListenHost(host), expected));
  }
});

describe('outbind: the listener on a real socket (127.0.0.1)', function () {
  this.timeout(10000);
  let listener: OutbindListener;
  let accepted: { socket: net.Socket; peer: string; leftover: Buffer }[];
  let refused: string[];

  async function start(timeoutMs = 2000): Promise<void> {
    accepted = [];
    refused = [];
    listener = new OutbindListener({
      port: 0,
      host: '127.0.0.1',
      systemId: 'esme',
      password: 'Pw-9xQ2',
      timeoutMs,
      onAccepted: (socket, peer, leftover) => accepted.push({ socket, peer, leftover }),
      onRefused: (_peer, why) => refused.push(why),
    });
    await listener.start();
  }
  afterEach(async () => {
    for (const a of accepted) a.socket.destroy();
    await listener.stop();
  });

  /** connects, writes, and resolves when the listener closes the connection */
  function send(bytes: Buffer | null, closeAfterWrite = false): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port: listener.port, host: '127.0.0.1' }, () => {
        if (bytes) s.write(bytes);
        if (closeAfterWrite) s.end();
        resolve(s);
      });
      s.on('error', () => undefined);
      s.once('error', reject);
    });
  }
  const closed = (s: net.Socket) => new Promise<void>((r) => (s.destroyed ? r() : s.once('close', () => r())));
  const until = async (check: () => boolean, what: string) => {
    const end = Date.now() + 3000;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('hands over the socket for a good outbind, split across writes, with what followed it', async () => {
    await start();
    const pdu = Buffer.concat([outbindPdu('esme', 'Pw-9xQ2'), Buffer.from([1, 2, 3])]);
    const s = await send(pdu.subarray(0, 7));
    await new Promise((r) => setTimeout(r, 30));
    s.write(pdu.subarray(7));
    await until(() => accepted.length === 1, 'accepted');
    assert.deepEqual(refused, []);
    assert.deepEqual([...accepted[0].leftover], [1, 2, 3]);
    assert.equal(accepted[0].socket.listenerCount('data'), 0, 'the listener let go of the socket');
    assert.equal(s.destroyed, false);
    s.destroy();
  });

  const refusals: [string, () => Buffer, RegExp][] = [
    ['a wrong password', () => outbindPdu('esme', 'wrong'), /^outbind for system_id "esme" with a wrong password$/],
    ['a wrong system_id', () => outbindPdu('other', 'Pw-9xQ2'), /^outbind with system_id "other" is not ours$/],
    ['the password in the system_id field', () => outbindPdu('Pw-9xQ2', 'esme'), /^outbind with system_id \(withheld\) is not ours$/],
    ['a bind instead of an outbind', () => new PDU('bind_transceiver', { system_id: 'esme', password: 'Pw-9xQ2' }).toBuffer(), /expected outbind/],
    ['an HTTP request', () => Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), /first PDU has command_length \d+: not an outbind/],
    ['a huge command_length', () => Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0x0b]), /command_length 2147483647/],
    ['a command_length under 16', () => Buffer.from([0, 0, 0, 8, 0, 0, 0, 0x0b]), /command_length 8/],
  ];
  for (const [what, bytes, re] of refusals) {
    it(`refuses and closes: ${what}`, async () => {
      await start();
      const s = await send(bytes());
      await closed(s);
      await until(() => refused.length === 1, 'refused');
      assert.match(refused[0], re);
      assert.ok(!refused[0].includes('Pw-9xQ2'), 'the reason never shows the password');
      assert.equal(accepted.length, 0);
    });
  }

  it('refuses a connection that sends nothing within the timeout', async () => {
    await start(150);
    const s = await send(null);
    await closed(s);
    assert.deepEqual(refused, ['no outbind within 150 ms']);
  });

  it('counts a connection closed in the middle of its outbind', async () => {
    await start();
    const s = await send(outbindPdu('esme', 'Pw-9xQ2').subarray(0, 10), true);
    await closed(s);
    await until(() => refused.length === 1, 'refused');
    assert.deepEqual(refused, ['closed before sending an outbind']);
  });

  it(`keeps at most ${MAX_PENDING} connections waiting for their outbind`, async () => {
    await start();
    const waiting: net.Socket[] = [];
    for (let i = 0; i < MAX_PENDING; i++) waiting.push(await send(null));
    const extra = await send(null);
    await closed(extra);
    await until(() => refused.length === 1, 'the extra refused');
    assert.match(refused[0], /too many connections waiting/);
    // the waiting ones are still open and can still outbind
    waiting[0].write(outbindPdu('esme', 'Pw-9xQ2'));
    await until(() => accepted.length === 1, 'a waiting one accepted');
    for (const w of waiting) w.destroy();
  });

  it('survives a burst of random bytes on many connections, and still accepts a good outbind', async () => {
    await start();
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const sockets: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) {
      const n = 1 + Math.floor(rnd() * 80);
      const bytes = Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));
      // every few, a plausible header that claims to be an outbind
      if (i % 5 === 0 && n >= 8) bytes.writeUInt32BE(0x0b, 4);
      const s = await send(bytes, true);
      sockets.push(closed(s));
    }
    await Promise.all(sockets);
    await until(() => refused.length === 40, `all 40 refused (got ${refused.length})`);
    const good = await send(outbindPdu('esme', 'Pw-9xQ2'));
    await until(() => accepted.length === 1, 'accepted after the garbage');
    good.destroy();
  });

  it('stop() closes connections still waiting and stops listening', async () => {
    await start();
    const s = await send(null);
    await until(() => listener.listening, 'listening');
    await listener.stop();
    await closed(s);
    assert.equal(listener.listening, false);
    await assert.rejects(
      new Promise((resolve, reject) => {
        const c = net.connect({ port: listener.port, host: '127.0.0.1' }, () => resolve(c));
        c.once('error', reject);
      }),
      /ECONNREFUSED/,
    );
  });

  it('start() rejects when the port is taken', async () => {
    await start();
    const other = new OutbindListener({
      port: listener.port, host: '127.0.0.1', systemId: 'x', password: 'y', timeoutMs: 100,
      onAccepted: () => undefined, onRefused: () => undefined,
    });
    await assert.rejects(other.start(), /EADDRINUSE/);
  });
});
