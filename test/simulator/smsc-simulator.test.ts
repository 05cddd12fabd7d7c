/**
 * The SMSC simulator against the smpp package's own client, over real sockets
 * on 127.0.0.1 (port 0). Short receipt delays keep the whole file fast.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'events';
import * as net from 'net';
import * as smpp from 'smpp';
import { SmscSimulator, SimulatorOptions } from '../../src/simulator';

import { TLS_KEY, TLS_CERT } from '../helpers/tls-fixture';

const sims: SmscSimulator[] = [];
const clients: smpp.Session[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

async function startSim(opts: SimulatorOptions = {}): Promise<SmscSimulator> {
  const sim = new SmscSimulator({ port: 0, receiptDelayMs: 20, ...opts });
  sims.push(sim);
  await sim.start();
  return sim;
}

function connect(sim: SmscSimulator, extra: Record<string, unknown> = {}): Promise<smpp.Session> {
  return new Promise((resolve, reject) => {
    const s = smpp.connect({ host: '127.0.0.1', port: sim.port, ...extra });
    clients.push(s);
    s.on('error', () => undefined); // tests that care add their own listener
    s.once(extra.tls ? 'secureConnect' : 'connect', () => resolve(s));
    s.socket.once('error', reject);
  });
}

/** First emission of `event`, or a rejection after timeoutMs. */
function next<T = unknown>(emitter: EventEmitter, event: string, timeoutMs = 2000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.removeListener(event, on);
      reject(new Error(`no '${event}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (value: T) => {
      clearTimeout(timer);
      resolve(value);
    };
    emitter.once(event, on);
  });
}

/** Resolves if `event` is not emitted within ms; rejects if it is. */
function none(emitter: EventEmitter, event: string, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const on = () => {
      clearTimeout(timer);
      reject(new Error(`unexpected '${event}'`));
    };
    const timer = setTimeout(() => {
      emitter.removeListener(event, on);
      resolve();
    }, ms);
    emitter.once(event, on);
  });
}

function request(s: smpp.Session, command: string, params: Record<string, unknown> = {}, timeoutMs = 2000): Promise<smpp.PDU> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no response to ${command} within ${timeoutMs} ms`)), timeoutMs);
    s[command](params, (pdu: smpp.PDU) => {
      clearTimeout(timer);
      resolve(pdu);
    });
  });
}

/** True if the request got no response within ms. */
function unanswered(s: smpp.Session, command: string, params: Record<string, unknown>, ms: number): Promise<boolean> {
  return request(s, command, params, ms).then(() => false, () => true);
}

async function bound(sim: SmscSimulator, kind = 'transceiver', systemId = 'test', password = 'test'): Promise<smpp.Session> {
  const s = await connect(sim);
  const resp = await request(s, `bind_${kind}`, { system_id: systemId, password });
  assert.equal(resp.command_status, 0, `bind_${kind} as ${systemId}`);
  return s;
}

/** Answers every deliver_sm with the given status (0 by default). */
function autoAnswer(s: smpp.Session, status = 0): smpp.PDU[] {
  const seen: smpp.PDU[] = [];
  s.on('deliver_sm', (pdu: smpp.PDU) => {
    seen.push(pdu);
    s.send(pdu.response({ command_status: status }));
  });
  return seen;
}

function submit(s: smpp.Session, params: Record<string, unknown> = {}): Promise<smpp.PDU> {
  return request(s, 'submit_sm', { source_addr: '4711', destination_addr: '15551234567', short_message: 'hello', ...params });
}

const RECEIPT_TEXT = /^id:(\S+) sub:001 dlvrd:(\d{3}) submit date:(\d{10}) done date:(\d{10}) stat:([A-Z]{7}) err:(\d{3}) text:(.*)$/;

describe('SmscSimulator', function () {
  this.timeout(5000);

  describe('bind', () => {
    it('accepts bind_transmitter, bind_receiver and bind_transceiver and answers system_id SMSCSIM', async () => {
      const sim = await startSim();
      const events: unknown[][] = [];
      sim.on('bind', (...args: unknown[]) => events.push(args));
      for (const kind of ['transmitter', 'receiver', 'transceiver']) {
        const s = await connect(sim);
        const resp = await request(s, `bind_${kind}`, { system_id: 'test', password: 'test' });
        assert.equal(resp.command, `bind_${kind}_resp`);
        assert.equal(resp.command_status, 0);
        assert.equal(resp.system_id, 'SMSCSIM');
      }
      assert.deepEqual(events, [['test', 'transmitter'], ['test', 'receiver'], ['test', 'transceiver']]);
      assert.equal(sim.stats().binds, 3);
      assert.equal(sim.stats().sessions, 3);
    });

    it('refuses a wrong password with ESME_RINVPASWD and an unknown system id with ESME_RINVSYSID', async () => {
      const sim = await startSim({ accounts: [{ systemId: 'alice', password: 'secret' }] });
      const s = await connect(sim);
      assert.equal((await request(s, 'bind_transceiver', { system_id: 'alice', password: 'wrong' })).command_status, 0x0e);
      assert.equal((await request(s, 'bind_transmitter', { system_id: 'bob', password: 'secret' })).command_status, 0x0f);
      // the refused session is still open and may bind properly
      assert.equal((await request(s, 'bind_receiver', { system_id: 'alice', password: 'secret' })).command_status, 0);
      assert.equal(sim.stats().bindFailures, 2);
      assert.equal(sim.stats().binds, 1);
    });

    it('answers a second bind on a bound session with ESME_RALYBND', async () => {
      const sim = await startSim();
      const s = await bound(sim, 'transmitter');
      assert.equal((await request(s, 'bind_transceiver', { system_id: 'test', password: 'test' })).command_status, 0x05);
    });

    it('accepts any system id and password when accounts is empty', async () => {
      const sim = await startSim({ accounts: [] });
      await bound(sim, 'transceiver', 'whoever', 'whatever');
    });

    it('answers requests before bind with ESME_RINVBNDSTS and unknown commands with generic_nack', async () => {
      const sim = await startSim();
      const s = await connect(sim);
      assert.equal((await submit(s)).command_status, 0x04);
      assert.equal((await request(s, 'enquire_link')).command_status, 0x04);
      const nack = next<smpp.PDU>(s, 'generic_nack');
      const unknown = Buffer.alloc(16);
      unknown.writeUInt32BE(16, 0);
      unknown.writeUInt32BE(0x00000999, 4);
      unknown.writeUInt32BE(77, 12);
      s.socket.write(unknown);
      const pdu = await nack;
      assert.equal(pdu.command_status, 0x03);
      assert.equal(pdu.sequence_number, 77);
      // a receiver may not submit
      const rx = await bound(sim, 'receiver');
      assert.equal((await submit(rx)).command_status, 0x04);
      assert.equal(sim.stats().submits, 0);
    });
  });

  describe('submit_sm and data_sm', () => {
    it('answers each submit_sm with a fresh hex id and tells listeners', async () => {
      const sim = await startSim();
      const seen: smpp.PDU[] = [];
      sim.on('submit', (pdu: smpp.PDU) => seen.push(pdu));
      const s = await bound(sim, 'transmitter');
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const resp = await submit(s, { short_message: `message ${i}` });
        assert.equal(resp.command_status, 0);
        assert.match(resp.message_id, /^[0-9a-f]+$/);
        ids.push(resp.message_id);
      }
      assert.equal(new Set(ids).size, 3);
      assert.equal(sim.stats().submits, 3);
      assert.equal(seen.length, 3);
      assert.equal(seen[2].destination_addr, '15551234567');
      assert.equal(seen[2].short_message.message, 'message 2');
    });

    it('uses decimal or uuid ids when asked', async () => {
      const dec = await startSim({ messageIdFormat: 'decimal' });
      assert.match((await submit(await bound(dec))).message_id, /^\d+$/);
      const uuid = await startSim({ messageIdFormat: 'uuid' });
      assert.match((await submit(await bound(uuid))).message_id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    });

    it('answers data_sm with an id and enquire_link with enquire_link_resp', async () => {
      const sim = await startSim();
      const s = await bound(sim);
      const resp = await request(s, 'data_sm', { source_addr: '4711', destination_addr: '123', data_coding: 0, message_payload: Buffer.from('payload') });
      assert.equal(resp.command, 'data_sm_resp');
      assert.equal(resp.command_status, 0);
      assert.match(resp.message_id, /^[0-9a-f]+$/);
      const el = await request(s, 'enquire_link');
      assert.equal(el.command, 'enquire_link_resp');
      assert.equal(el.command_status, 0);
      // a real request the simulator does not serve
      const q = await request(s, 'query_sm', { message_id: resp.message_id });
      assert.equal(q.command, 'query_sm_resp');
      assert.equal(q.command_status, 0x03);
      assert.deepEqual([sim.stats().dataSms, sim.stats().enquireLinks, sim.stats().submits], [1, 1, 0]);
    });
  });

  describe('receipts', () => {
    it('sends a receipt with text and TLVs when registered_delivery asks for one', async () => {
      const sim = await startSim();
      const s = await bound(sim);
      const receipts = autoAnswer(s);
      const resps = next<number>(sim, 'deliver_resp');
      const receipt = next<smpp.PDU>(s, 'deliver_sm');
      const resp = await submit(s, { short_message: 'Hello receipt world, this is long', registered_delivery: 1 });
      const pdu = await receipt;
      assert.equal(pdu.esm_class, 0x04);
      assert.equal(pdu.data_coding, 0);
      assert.equal(pdu.receipted_message_id, resp.message_id);
      assert.equal(pdu.message_state, 2);
      assert.equal(pdu.source_addr, '15551234567');
      assert.equal(pdu.destination_addr, '4711');
      const m = RECEIPT_TEXT.exec(pdu.short_message.message);
      assert.ok(m, pdu.short_message.message);
      assert.equal(m[1], resp.message_id);
      assert.equal(m[2], '001');
      assert.equal(m[5], 'DELIVRD');
      assert.equal(m[6], '000');
      assert.equal(m[7], 'Hello receipt world,');
      assert.equal(await resps, 0);
      assert.equal(receipts.length, 1);
      assert.equal(sim.stats().receiptsSent, 1);
    });

    it('sends none for registered_delivery 0, and none at all with receipts never', async () => {
      const requested = await startSim();
      const s1 = await bound(requested);
      autoAnswer(s1);
      const quiet1 = none(s1, 'deliver_sm', 250);
      await submit(s1, { registered_delivery: 0 });
      const never = await startSim({ receipts: 'never' });
      const s2 = await bound(never);
      autoAnswer(s2);
      const quiet2 = none(s2, 'deliver_sm', 250);
      await submit(s2, { registered_delivery: 1 });
      await Promise.all([quiet1, quiet2]);
      assert.equal(requested.stats().receiptsSent + never.stats().receiptsSent, 0);
    });

    it('sends one for every message with receipts always', async () => {
      const sim = await startSim({ receipts: 'always' });
      const s = await bound(sim);
      autoAnswer(s);
      const receipt = next<smpp.PDU>(s, 'deliver_sm');
      const resp = await submit(s, { registered_delivery: 0 });
      assert.equal((await receipt).receipted_message_id, resp.message_id);
    });

    it('honours registered_delivery 2: a receipt only when the final state is a failure', async () => {
      const ok = await startSim();
      const s1 = await bound(ok);
      autoAnswer(s1);
      const quiet = none(s1, 'deliver_sm', 250);
      await submit(s1, { registered_delivery: 2 });
      await quiet;

      const failing = await startSim({ receiptState: 'UNDELIV' });
      const s2 = await bound(failing);
      autoAnswer(s2);
      const receipt = next<smpp.PDU>(s2, 'deliver_sm');
      const resp = await submit(s2, { registered_delivery: 2, short_message: 'will fail' });
      const pdu = await receipt;
      assert.equal(pdu.receipted_message_id, resp.message_id);
      assert.equal(pdu.message_state, 5);
      const m = RECEIPT_TEXT.exec(pdu.short_message.message);
      assert.ok(m, pdu.short_message.message);
      assert.equal(m[2], '000');
      assert.equal(m[5], 'UNDELIV');
      assert.notEqual(m[6], '000');
      assert.equal(m[7], 'will fail');
    });

    it('sends the receipt for a transmitter to a receiver of the same system id', async () => {
      const sim = await startSim({ accounts: [{ systemId: 'a', password: 'p' }, { systemId: 'b', password: 'p' }] });
      const tx = await bound(sim, 'transmitter', 'a', 'p');
      const rxOther = await bound(sim, 'receiver', 'b', 'p');
      const rx = await bound(sim, 'receiver', 'a', 'p');
      autoAnswer(rx);
      autoAnswer(rxOther);
      const wrong = none(rxOther, 'deliver_sm', 300);
      const receipt = next<smpp.PDU>(rx, 'deliver_sm');
      const resp = await submit(tx, { registered_delivery: 1 });
      assert.equal((await receipt).receipted_message_id, resp.message_id);
      await wrong;
    });

    it('writes the receipt id in the form asked for', async () => {
      const decimal = await startSim({ messageIdFormat: 'hex', receiptIdFormat: 'decimal' });
      const s1 = await bound(decimal);
      autoAnswer(s1);
      const r1 = next<smpp.PDU>(s1, 'deliver_sm');
      const hexId = (await submit(s1, { registered_delivery: 1 })).message_id as string;
      const p1 = await r1;
      assert.equal(p1.receipted_message_id, BigInt('0x' + hexId).toString(10));
      assert.equal(RECEIPT_TEXT.exec(p1.short_message.message)?.[1], p1.receipted_message_id);

      const padded = await startSim({ messageIdFormat: 'decimal', receiptIdFormat: 'hex-upper-padded' });
      const s2 = await bound(padded);
      autoAnswer(s2);
      const r2 = next<smpp.PDU>(s2, 'deliver_sm');
      const decId = (await submit(s2, { registered_delivery: 1 })).message_id as string;
      const p2 = await r2;
      assert.equal(p2.receipted_message_id, BigInt(decId).toString(16).toUpperCase().padStart(16, '0'));
      assert.notEqual(p2.receipted_message_id, decId);
    });

    it('gives each part of a concatenated message its own id and receipt', async () => {
      const sim = await startSim();
      const s = await bound(sim);
      const receipts = autoAnswer(s);
      const ids: string[] = [];
      for (const [seq, text] of [[1, 'first part '], [2, 'second part']] as const) {
        const udh = Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, seq]);
        const resp = await submit(s, { esm_class: 0x40, data_coding: 0, registered_delivery: 1, short_message: Buffer.concat([udh, Buffer.from(text)]) });
        ids.push(resp.message_id);
      }
      assert.notEqual(ids[0], ids[1]);
      const deadline = Date.now() + 2000;
      while (receipts.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(receipts.map((p) => p.receipted_message_id).sort(), [...ids].sort());
      const texts = receipts.map((p) => RECEIPT_TEXT.exec(p.short_message.message)?.[7]).sort();
      assert.deepEqual(texts, ['first part ', 'second part']);
    });

    it('decodes UCS2 text for the receipt snippet', async () => {
      const sim = await startSim();
      const s = await bound(sim);
      autoAnswer(s);
      const receipt = next<smpp.PDU>(s, 'deliver_sm');
      await submit(s, { data_coding: 8, short_message: 'Hi from UCS2 \u00e9\u4e2d', registered_delivery: 1 });
      assert.equal(RECEIPT_TEXT.exec((await receipt).short_message.message)?.[7], 'Hi from UCS2 ??');
    });
  });

  describe('MO injection', () => {
    it('delivers an MO to a bound receiver and resolves with its response status', async () => {
      const sim = await startSim();
      const rx = await bound(sim, 'receiver');
      const statuses = [0, 0x58];
      const seen: smpp.PDU[] = [];
      rx.on('deliver_sm', (pdu: smpp.PDU) => {
        seen.push(pdu);
        rx.send(pdu.response({ command_status: statuses[seen.length - 1] }));
      });
      assert.equal(await sim.injectMo({ from: '+15550001111', to: '12345', text: 'hello @ MO' }), 0);
      assert.equal(await sim.injectMo({ from: '+15550001111', to: '12345', text: 'again' }), 0x58);
      assert.equal(seen[0].source_addr, '15550001111');
      assert.equal(seen[0].source_addr_ton, 1);
      assert.equal(seen[0].destination_addr, '12345');
      assert.equal(seen[0].esm_class, 0);
      assert.equal(seen[0].short_message.message, 'hello @ MO');
      assert.equal(sim.stats().mosSent, 2);
    });

    it('rejects when no receiver is bound, or when the session closes before answering', async () => {
      const sim = await startSim();
      await bound(sim, 'transmitter');
      await assert.rejects(sim.injectMo({ from: '1', to: '2', text: 'x' }), /no bound receiver/);
      const rx = await bound(sim, 'receiver');
      const arrived = next(rx, 'deliver_sm');
      const mo = sim.injectMo({ from: '1', to: '2', text: 'never answered' });
      await arrived;
      sim.dropConnections();
      await assert.rejects(mo, /closed/);
    });

    it('targets the given system id, and sends data_sm with message_payload when asked', async () => {
      const sim = await startSim({ accounts: [] });
      const a = await bound(sim, 'transceiver', 'a', 'x');
      const b = await bound(sim, 'receiver', 'b', 'x');
      autoAnswer(a);
      const quietA = none(a, 'data_sm', 300);
      const got = next<smpp.PDU>(b, 'data_sm');
      b.on('data_sm', (pdu: smpp.PDU) => b.send(pdu.response()));
      const status = await sim.injectMo({ from: '491701234567', to: '999', text: 'data sm', command: 'data_sm', systemId: 'b' });
      assert.equal(status, 0);
      const pdu = await got;
      assert.equal(pdu.message_payload.message, 'data sm');
      await quietA;
    });

    it('sends UCS2 when the text does not fit GSM 7-bit, and raw bytes with TLVs as given', async () => {
      const sim = await startSim();
      const rx = await bound(sim, 'receiver');
      const seen = autoAnswer(rx);
      await sim.injectMo({ from: 'Alpha', to: '12345', text: 'Привет' });
      await sim.injectMo({ from: '1', to: '2', bytes: Buffer.from([1, 2, 3]), dataCoding: 4, tlvs: { user_message_reference: 42, bogus: 1 } });
      assert.equal(seen[0].data_coding, 8);
      assert.equal(seen[0].short_message.message, 'Привет');
      assert.equal(seen[0].source_addr_ton, 5);
      assert.equal(seen[1].data_coding, 4);
      assert.deepEqual([...seen[1].short_message.message], [1, 2, 3]);
      assert.equal(seen[1].user_message_reference, 42);
    });
  });

  describe('failure modes', () => {
    it('throttles every 3rd submit with ESME_RTHROTTLED', async () => {
      const sim = await startSim();
      const s = await bound(sim);
      sim.setFailure({ kind: 'throttle', everyN: 3 });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await submit(s)).command_status);
      assert.deepEqual(statuses, [0, 0, 0x58, 0, 0, 0x58]);
    });

    it('rejects every submit with the given status in reject mode', async () => {
      const sim = await startSim();
      const s = await bound(sim);
      sim.setFailure({ kind: 'reject', status: 0x45 });
      for (let i = 0; i < 2; i++) {
        const resp = await submit(s, { registered_delivery: 1 });
        assert.equal(resp.command_status, 0x45);
        assert.equal(resp.message_id, undefined);
      }
      sim.setFailure({ kind: 'none' });
      assert.equal((await submit(s)).command_status, 0);
    });

    it('answers nothing in silent mode, not even enquire_link', async () => {
      const sim = await startSim();
      const s = await bound(sim);
      sim.setFailure({ kind: 'silent' });
      const [sub, el] = await Promise.all([unanswered(s, 'submit_sm', { destination_addr: '1', short_message: 'x' }, 300), unanswered(s, 'enquire_link', {}, 300)]);
      assert.ok(sub, 'submit_sm was answered');
      assert.ok(el, 'enquire_link was answered');
      assert.equal(sim.stats().submits, 0);
      sim.setFailure({ kind: 'none' });
      assert.equal((await request(s, 'enquire_link')).command_status, 0);
    });

    it('sends something the client cannot parse in garbage mode', async () => {
      const sim = await startSim();
      const s = await bound(sim);
      sim.setFailure({ kind: 'garbage', everyN: 2 });
      assert.equal((await submit(s)).command_status, 0);
      const failed = next<Error>(s, 'error');
      s.submit_sm({ destination_addr: '1', short_message: 'x' }); // its answer is the garbage
      assert.ok((await failed) instanceof Error);
    });

    it('answers late in late mode, and stop() does not wait for pending late answers', async () => {
      const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      const sim = await startSim();
      const s = await bound(sim);
      sim.setFailure({ kind: 'late', delayMs: 250 });
      const t0 = Date.now();
      assert.equal((await submit(s)).command_status, 0);
      assert.ok(Date.now() - t0 >= 240, `answered after ${Date.now() - t0} ms`);

      sim.setFailure({ kind: 'late', delayMs: 5000 });
      const timersBefore = timers();
      const arrived = next(sim, 'submit');
      s.submit_sm({ destination_addr: '1', short_message: 'answered in 5 s' }); // no helper: it would hold a timer
      await arrived;
      assert.equal(timers(), timersBefore + 1, 'the late answer waits on a timer');
      const closed = next(s, 'close');
      const t1 = Date.now();
      await sim.stop();
      assert.ok(Date.now() - t1 < 2000, `stop took ${Date.now() - t1} ms`);
      await closed;
      assert.ok(timers() <= timersBefore, 'a simulator timer outlived stop()');
    });

    it('refuses an invalid failure mode', async () => {
      const sim = await startSim();
      assert.throws(() => sim.setFailure({ kind: 'throttle', everyN: 0 }), TypeError);
      assert.throws(() => sim.setFailure({ kind: 'nope' } as never), TypeError);
    });

    it('writes raw bytes to bound sessions with injectRaw', async () => {
      const sim = await startSim();
      const s = await bound(sim);
      const failed = next<Error>(s, 'error');
      sim.injectRaw(Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]));
      assert.match((await failed).message, /too large/);
    });
  });

  describe('connections', () => {
    it('unbinds every bound session with sendUnbind', async () => {
      const sim = await startSim();
      const s = await bound(sim);
      const unbind = next<smpp.PDU>(s, 'unbind');
      s.on('unbind', (pdu: smpp.PDU) => s.send(pdu.response()));
      const closed = next(s, 'close');
      const sessionClosed = next(sim, 'session-close');
      const done = sim.sendUnbind();
      await unbind;
      await Promise.all([closed, done, sessionClosed]);
      assert.equal(sim.stats().sessions, 0);
    });

    it('answers a client unbind with unbind_resp, then closes', async () => {
      const sim = await startSim();
      const s = await bound(sim);
      const closed = next(s, 'close');
      const resp = await request(s, 'unbind');
      assert.equal(resp.command, 'unbind_resp');
      assert.equal(resp.command_status, 0);
      await closed;
      assert.equal(sim.stats().unbinds, 1);
    });

    it('drops every connection with dropConnections', async () => {
      const sim = await startSim();
      const a = await bound(sim);
      const b = await connect(sim);
      const closed = Promise.all([next(a, 'close'), next(b, 'close')]);
      sim.dropConnections();
      await closed;
    });

    it('sends enquire_link to bound sessions when enquireLinkInterval is set', async () => {
      const sim = await startSim({ enquireLinkInterval: 50 });
      const s = await bound(sim);
      const pdu = await next<smpp.PDU>(s, 'enquire_link', 1000);
      s.send(pdu.response());
      assert.equal(pdu.command_status, 0);
    });

    it('serves smpps when given a key and certificate', async () => {
      const sim = await startSim({ tls: { key: TLS_KEY, cert: TLS_CERT } });
      const s = await connect(sim, { tls: true, rejectUnauthorized: false });
      assert.equal((await request(s, 'bind_transceiver', { system_id: 'test', password: 'test' })).command_status, 0);
      assert.equal((await submit(s)).command_status, 0);
    });

    it('survives what clients send: nacks a truncated body, closes on an impossible length, shrugs off random bytes', async () => {
      const sim = await startSim();
      // a submit_sm whose sm_length runs past the PDU: generic_nack, the session goes on
      const s = await bound(sim);
      const nack = next<smpp.PDU>(s, 'generic_nack');
      const bad = Buffer.alloc(16 + 20);
      bad.writeUInt32BE(bad.length, 0);
      bad.writeUInt32BE(0x00000004, 4);
      bad.writeUInt32BE(5, 12);
      bad[32] = 200; // sm_length (after 16 bytes of empty strings and zero flags) claims 200 bytes
      s.socket.write(bad);
      assert.equal((await nack).command_status, 0x02);
      assert.equal((await request(s, 'enquire_link')).command_status, 0);

      // command_length below the header size: the session is closed
      const t = await connect(sim);
      const closed = next(t, 'close');
      t.socket.write(Buffer.from([0, 0, 0, 8, 0, 0, 0, 4]));
      await closed;

      // bounded random input on a handful of connections (seeded, so reproducible)
      let seed = 12345;
      const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
      const commands = [1, 2, 4, 5, 6, 9, 0x15, 0x103, 0x80000004, 0x80000005, 0x999];
      await Promise.all(Array.from({ length: 8 }, async () => {
        const sock = net.connect(sim.port, '127.0.0.1');
        sock.on('error', () => undefined);
        await next(sock, 'connect');
        for (let i = 0; i < 40; i++) {
          const bodyLen = Math.floor(rnd() * 60);
          const pdu = Buffer.alloc(16 + bodyLen);
          for (let j = 16; j < pdu.length; j++) pdu[j] = Math.floor(rnd() * 256);
          pdu.writeUInt32BE(rnd() < 0.05 ? Math.floor(rnd() * 0xffffffff) : pdu.length, 0);
          pdu.writeUInt32BE(commands[Math.floor(rnd() * commands.length)], 4);
          pdu.writeUInt32BE(i + 1, 12);
          if (!sock.destroyed) sock.write(pdu);
        }
        await new Promise((r) => setTimeout(r, 50));
        sock.destroy();
      }));
      const fresh = await bound(sim);
      assert.equal((await submit(fresh)).command_status, 0);
      assert.ok(sim.stats().malformed >= 2);
    });

    it('keeps up with a window of submits and their receipts', async () => {
      const sim = await startSim({ receipts: 'always', receiptDelayMs: 5 });
      const s = await bound(sim);
      const receipts = autoAnswer(s);
      const total = 2000;
      const window = 200;
      const ids = new Set<string>();
      let sent = 0;
      const t0 = Date.now();
      await new Promise<void>((resolve, reject) => {
        let done = 0;
        const pump = () => {
          while (sent < total && sent - done < window) {
            sent++;
            s.submit_sm({ destination_addr: '1', short_message: 'load' }, (resp: smpp.PDU) => {
              if (resp.command_status !== 0) reject(new Error(`status ${resp.command_status}`));
              ids.add(resp.message_id);
              if (++done === total) resolve();
              else pump();
            });
          }
        };
        pump();
      });
      const deadline = Date.now() + 3000;
      while (receipts.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.equal(ids.size, total);
      assert.equal(receipts.length, total);
      assert.ok(Date.now() - t0 < 4000, `took ${Date.now() - t0} ms`);
    });
  });
});
