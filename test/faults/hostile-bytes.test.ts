/**
 * Hostile bytes: a fake SMSC sends a seeded corpus of at least 10,000 random
 * and mutated PDUs to a gateway bound in a real Node-RED runtime (with
 * smpp-receive and smpp-dlr nodes). The corpus goes in batches shorter than
 * Max Error Packets, each confirmed by an enquire_link the gateway must
 * answer (so every PDU of a confirmed batch was read by a live link); the
 * entries that must end the link (command_length < 16 or huge, a PDU cut by
 * a close, a burst of Max Error Packets bad PDUs) end their batch, and the
 * drop they cause is checked against the engine's close code.
 */
import assert from 'node:assert/strict';
import { helper, flow, load, until, collect } from '../nodes/node-harness';
import { FakeSmsc, FakeSession, CMD } from '../helpers/fake-smsc';
import { HostileCorpus, HostileEntry, HostileEnd, seededRandom } from '../helpers/hostile-pdus';

const SEED = 0x5eed_0007;
const TARGET = 10_000;
const MAX_ERROR_PACKETS = 10;
const MAX_MESSAGE_LENGTH = 2048;
/** shorter than Max Error Packets: a batch of bad PDUs alone can never reach it */
const BATCH = MAX_ERROR_PACKETS - 2;
const DEADLINE_MS = 50_000;
const ESME_RINVCMDID = 0x03;

function gw(): any {
  return helper.getNode('gw1');
}

describe('faults: hostile bytes from the SMSC', function () {
  this.timeout(70_000);
  let smsc: FakeSmsc;
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);

  before(() => {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
  });
  after(() => {
    process.removeListener('uncaughtException', onUncaught);
    process.removeListener('unhandledRejection', onUncaught);
  });
  afterEach(async () => {
    await helper.unload();
    await smsc?.stop();
  });

  it('the corpus generator is deterministic: the same seed gives the same bytes', () => {
    const digest = (seed: number) => {
      const c = new HostileCorpus(seed, { maxMessageLength: MAX_MESSAGE_LENGTH, maxErrorPackets: MAX_ERROR_PACKETS });
      const parts: string[] = [];
      for (let i = 0; i < 300; i++) for (const e of c.next()) parts.push(`${e.kind}:${e.bytes.toString('hex')}`);
      return parts.join('|');
    };
    assert.equal(digest(SEED), digest(SEED));
    assert.notEqual(digest(SEED), digest(SEED + 1));
    const r = seededRandom(1);
    assert.ok(r() >= 0 && r() < 1);
  });

  it(`survives ${TARGET.toLocaleString('en')}+ hostile PDUs in Node-RED: no crash, error packets counted, link rebuilt after Max Error Packets, a submit works after`, async () => {
    smsc = new FakeSmsc();
    await smsc.start();
    await load(
      flow(smsc.port, {
        maxErrorPackets: MAX_ERROR_PACKETS,
        maxMessageLength: MAX_MESSAGE_LENGTH,
        reconnectMin: 10,
        reconnectMax: 50,
        heartbeatInterval: 2000,
        transactionTimeout: 1000,
        receiveTimeout: 10000,
      }),
    );
    const ok = collect('ok');
    const mo = collect('mo');
    const dlr = collect('dlr');
    const drops: string[] = [];
    gw().engine.on('state', (ev: any) => {
      if (ev.state === 'retrying') drops.push(ev.code);
    });
    await until(() => gw().engine.state === 'bound', 'bound', 5000);

    const corpus = new HostileCorpus(SEED, { maxMessageLength: MAX_MESSAGE_LENGTH, maxErrorPackets: MAX_ERROR_PACKETS });
    const byKind: Record<string, number> = {};
    const expectedDrops: Record<HostileEnd, number> = { none: 0, framing: 0, 'error-packets': 0, 'peer-closed': 0 };
    const problems: string[] = [];
    let confirmed = 0;
    let certainErrors = 0;
    let owedNacks = 0;
    let batches = 0;
    let queue: HostileEntry[] = [];
    const started = Date.now();
    const cpu0 = process.cpuUsage();

    const writeBatch = (s: FakeSession, batch: HostileEntry[]) => {
      for (const e of batch) {
        s.write(e.bytes);
        if (e.closeAfter) s.socket.end();
      }
    };

    while (confirmed < TARGET) {
      if (Date.now() - started > DEADLINE_MS) throw new Error(`corpus not through within ${DEADLINE_MS} ms: ${confirmed} confirmed`);
      // next batch: up to BATCH regular entries, or a group that ends the link (which ends the batch)
      const batch: HostileEntry[] = [];
      while (batch.length < BATCH) {
        if (!queue.length) queue = corpus.next();
        const group = queue;
        const breaking = group[group.length - 1].ends !== 'none';
        if (breaking && group.length > 1 && batch.length) break; // a burst goes alone
        if (breaking && group.length === 1) {
          batch.push(group[0]);
          queue = [];
          break;
        }
        if (breaking) {
          batch.push(...group);
          queue = [];
          break;
        }
        batch.push(group[0]);
        queue = group.slice(1);
      }
      const s = await smsc.waitBound(5000);
      const errorsBefore = gw().engine.counters.errorPackets;
      const end = batch[batch.length - 1].ends;
      batches++;
      if (end === 'none') {
        writeBatch(s, batch);
        const answer = await s.request('enquire_link', {}, 3000);
        if (!answer || answer.commandId !== (CMD.enquire_link | CMD.RESP) >>> 0) {
          problems.push(`batch ${batches} [${batch.map((e) => e.kind).join(',')}] was not confirmed (link ${s.closed ? `dropped: ${drops[drops.length - 1]}` : 'silent'})`);
          continue;
        }
        for (const e of batch) if (e.owesNack) owedNacks++;
      } else {
        const dropsBefore = drops.length;
        const closed = new Promise<void>((resolve) => (s.closed ? resolve() : s.once('close', () => resolve())));
        writeBatch(s, batch);
        await Promise.race([closed, new Promise((r) => setTimeout(r, 3000))]);
        await until(() => drops.length > dropsBefore, `the drop after a ${batch[batch.length - 1].kind} entry`, 3000);
        if (drops[dropsBefore] !== end) problems.push(`batch ${batches} ending in ${batch[batch.length - 1].kind} dropped the link as ${drops[dropsBefore]}, not ${end}`);
        expectedDrops[end]++;
      }
      const delta = gw().engine.counters.errorPackets - errorsBefore;
      const certain = batch.filter((e) => e.certainError).length;
      if (delta < certain || delta > batch.length) problems.push(`batch ${batches}: ${delta} error packets counted for ${certain} certain of ${batch.length}`);
      confirmed += batch.length;
      certainErrors += certain;
      for (const e of batch) byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
    }
    const cpu = process.cpuUsage(cpu0);
    const elapsed = Date.now() - started;

    // after the corpus: the link is bound and a normal submit works
    await until(() => gw().engine.state === 'bound', 'bound after the corpus', 5000);
    helper.getNode('s1').receive({ payload: 'after the hostile corpus', to: '4670000001' });
    await until(() => ok.length === 1, 'a normal submit after the corpus', 5000);

    const counters = gw().engine.counters;
    const nacks = smsc.all.filter((r) => r.commandId === CMD.generic_nack && r.status === ESME_RINVCMDID).length;
    const dropCounts: Record<string, number> = {};
    for (const d of drops) dropCounts[d] = (dropCounts[d] ?? 0) + 1;
    console.log(
      `      hostile corpus: ${confirmed} PDUs read by a bound gateway in ${batches} batches, ${elapsed} ms (CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms)\n` +
        `      by kind: ${JSON.stringify(byKind)}\n` +
        `      engine: errorPackets ${counters.errorPackets} (certain ${certainErrors}), inbound ${counters.inbound}, binds ${counters.binds}, reconnects ${counters.reconnects}\n` +
        `      drops by cause: ${JSON.stringify(dropCounts)}; generic_nack ESME_RINVCMDID ${nacks} (owed at least ${owedNacks})\n` +
        `      into the flow: ${mo.length} MO, ${dlr.length} receipts; uncaught ${uncaught.length}`,
    );

    assert.deepEqual(uncaught, [], 'no uncaught exception or unhandled rejection');
    assert.deepEqual(problems, [], 'every batch confirmed, every drop the expected one, error packets counted');
    assert.ok(confirmed >= TARGET);
    assert.ok(counters.errorPackets >= certainErrors, 'every certain error packet counted');
    // every drop is one the corpus asked for, and each of those happened
    assert.equal(dropCounts.framing ?? 0, expectedDrops.framing, 'framing drops');
    assert.equal(dropCounts['error-packets'] ?? 0, expectedDrops['error-packets'], 'drops after Max Error Packets');
    assert.equal(dropCounts['peer-closed'] ?? 0, expectedDrops['peer-closed'], 'drops by a close');
    assert.equal(drops.length, expectedDrops.framing + expectedDrops['error-packets'] + expectedDrops['peer-closed'], `no other drop: ${JSON.stringify(dropCounts)}`);
    assert.ok(expectedDrops['error-packets'] > 0, 'the corpus had bursts of Max Error Packets');
    assert.equal(counters.binds, drops.length + 1, 'a rebind after every drop');
    assert.ok(nacks >= owedNacks, 'unknown command ids answered with generic_nack ESME_RINVCMDID');
    assert.ok(mo.length > 0 && dlr.length > 0, 'PDUs that still decode reach the flow');
  });
});
