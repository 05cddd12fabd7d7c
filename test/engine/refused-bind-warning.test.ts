/**
 * A refused bind is retried for ever; it must not put a warning in the debug
 * sidebar on every retry: one warning, then again only when the reason changes
 * or after the link was bound again.
 */
import assert from 'node:assert/strict';
import { LinkSupervisor } from '../../src/engine/link-supervisor';
import { FakeClock } from '../helpers/fake-clock';
import { FakeNetwork } from '../helpers/fake-socket';
import { config } from './engine-harness';

describe('gateway engine: a refused bind warns once, then on a change', () => {
  it('warns once over many retries with the same refusal, again when the refusal changes', () => {
    const clock = new FakeClock();
    const net = new FakeNetwork();
    const logs: string[] = [];
    let status = 0x0e; // ESME_RINVPASWD
    net.onSocket = (s) => {
      s.onPdu = (pdu, sock) => sock.reply(pdu, { command_status: status });
    };
    const engine = new LinkSupervisor(config({ reconnectMax: 1000 }), { systemId: 'esme', password: 'x' }, { clock, random: () => 1, socketFactory: net.factory, log: (l, t) => logs.push(`${l}: ${t}`) });
    engine.start();
    for (let i = 0; i < 8; i++) {
      net.last.accept();
      clock.advance(1000);
    }
    assert.ok(logs.filter((l) => /link down/.test(l)).length >= 8, logs.join('\n'));
    assert.equal(logs.filter((l) => /^warn: link down/.test(l)).length, 1, logs.join('\n'));
    status = 0x0f; // ESME_RINVSYSID: a new reason, worth a warning
    for (let i = 0; i < 3; i++) {
      net.last.accept();
      clock.advance(1000);
    }
    assert.equal(logs.filter((l) => /^warn: link down/.test(l)).length, 2, logs.join('\n'));
    void engine.close();
  });
});
