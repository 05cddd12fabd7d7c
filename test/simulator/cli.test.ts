/**
 * The smsc-simulator command: flag parsing, and the compiled CLI run as a
 * child process (ready line with the real port, serving binds and MOs, exit
 * on SIGTERM).
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import * as smpp from 'smpp';
import { parseCliArgs } from '../../src/simulator';

const CLI = path.join(__dirname, '..', '..', 'src', 'simulator', 'cli.js');
const READY = /SMSC simulator listening on 127\.0\.0\.1:(\d+)/;

const children: ChildProcess[] = [];
const clients: smpp.Session[] = [];

afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function run(args: string[]): { child: ChildProcess; output: () => string; port: Promise<number>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within 5 s; output: ${out}`)), 5000);
    const check = () => {
      const m = READY.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`exited before the ready line; output: ${out}`));
    });
  });
  port.catch(() => undefined); // awaited only by the tests that expect a ready line
  return { child, output: () => out, port, exit };
}

function bindAs(port: number, kind: string, systemId: string, password: string): Promise<{ session: smpp.Session; status: number }> {
  return new Promise((resolve, reject) => {
    const session = smpp.connect({ host: '127.0.0.1', port });
    clients.push(session);
    session.on('error', reject);
    session.on('connect', () => {
      session[`bind_${kind}`]({ system_id: systemId, password }, (pdu: smpp.PDU) => resolve({ session, status: pdu.command_status }));
    });
  });
}

describe('smsc-simulator CLI', function () {
  this.timeout(8000);

  it('parses flags into simulator options', () => {
    const s = parseCliArgs(['--port', '0', '--account', 'a:p:w', '--account', 'b:', '--receipts', 'always', '--receipt-delay', '5', '--receipt-state', 'EXPIRED', '--mo-every', '1000', '--quiet']);
    assert.equal(s.options.port, 0);
    assert.deepEqual(s.options.accounts, [{ systemId: 'a', password: 'p:w' }, { systemId: 'b', password: '' }]);
    assert.equal(s.options.receipts, 'always');
    assert.equal(s.options.receiptDelayMs, 5);
    assert.equal(s.options.receiptState, 'EXPIRED');
    assert.equal(s.moEveryMs, 1000);
    assert.equal(s.quiet, true);
    assert.equal(parseCliArgs([]).options.accounts, undefined);
    assert.deepEqual(parseCliArgs(['--accept-any']).options.accounts, []);
    assert.throws(() => parseCliArgs(['--receipts', 'sometimes']), /--receipts/);
    assert.throws(() => parseCliArgs(['--receipt-state', 'LOST']), /--receipt-state/);
    assert.throws(() => parseCliArgs(['--port', 'x']), /--port/);
    assert.throws(() => parseCliArgs(['--account', 'nocolon']), /--account/);
    assert.throws(() => parseCliArgs(['--tls-key', 'k.pem']), /together/);
    assert.throws(() => parseCliArgs(['--bogus']));
  });

  it('prints the ready line with the real port, serves binds and exits cleanly on SIGTERM', async () => {
    const { child, port, exit } = run(['--port', '0', '--quiet', '--account', 'demo:secret']);
    const p = await port;
    assert.ok(p > 0);
    assert.equal((await bindAs(p, 'transceiver', 'demo', 'secret')).status, 0);
    assert.equal((await bindAs(p, 'transceiver', 'demo', 'nope')).status, 0x0e);
    const t0 = Date.now();
    child.kill('SIGTERM');
    assert.equal(await exit, 0);
    assert.ok(Date.now() - t0 < 3000);
  });

  it('sends the demo MO to bound receivers with --mo-every', async () => {
    const { child, port, exit } = run(['--port', '0', '--mo-every', '50']);
    const { session } = await bindAs(await port, 'receiver', 'test', 'test');
    const mo = await new Promise<smpp.PDU>((resolve) => session.once('deliver_sm', resolve));
    session.send(mo.response());
    assert.equal(mo.source_addr, '15550001111');
    assert.equal(mo.destination_addr, '12345');
    assert.equal(mo.short_message.message, 'hello from the simulator');
    child.kill('SIGINT');
    assert.equal(await exit, 0);
  });

  it('exits with status 2 and the usage on a bad flag', async () => {
    const { output, exit } = run(['--receipts', 'sometimes']);
    assert.equal(await exit, 2);
    assert.match(output(), /--receipts must be one of/);
    assert.match(output(), /Usage: smsc-simulator/);
  });
});
