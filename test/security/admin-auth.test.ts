/**
 * The smpp-gateway's admin endpoints in a real Node-RED 4.1 with adminAuth on:
 * without a token every one of them answers 401; a read-only token may read
 * the sidebar's list but not bind or act; with an admin token Test connection
 * binds against our simulator (good password: bound with the SMSC's
 * system_id; wrong password: refused, ESME_RINVPASWD), and no answer ever
 * holds the password. A deployed gateway's stored password is used when the
 * dialog sends Node-RED's placeholder. The sidebar's buttons act on the link.
 */
import assert from 'node:assert/strict';
import * as net from 'net';
import { SmscSimulator } from '../../src/simulator';
import { RedProcess, until } from '../package/red-process';
import { ADMIN_ROUTES } from '../../nodes/admin-routes';

const PASSWORD = 'Pw-7Xq2';
const WRONG = 'wrong-1';
const USERS_PASSWORD = 'admin-secret';

describe('security: smpp-gateway admin endpoints with adminAuth on (real Node-RED)', function () {
  this.timeout(90000);
  let red: RedProcess;
  let sim: SmscSimulator;
  let admin = '';
  let reader = '';

  before(async () => {
    sim = new SmscSimulator({ port: 0, accounts: [{ systemId: 'probe-acct', password: PASSWORD }] });
    await sim.start();
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const bcrypt = require('bcryptjs');
    const hash = bcrypt.hashSync(USERS_PASSWORD, 8);
    red = new RedProcess();
    await red.start(
      [],
      `adminAuth: { type: 'credentials', users: [` +
        `{ username: 'admin', password: ${JSON.stringify(hash)}, permissions: '*' }, ` +
        `{ username: 'reader', password: ${JSON.stringify(hash)}, permissions: 'read' }] }`,
    );
    admin = await token('admin');
    reader = await token('reader');
  });

  after(async () => {
    await red?.stop();
    await sim?.stop();
  });

  async function token(username: string): Promise<string> {
    const res = await fetch(`${red.url}/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: username === 'reader' ? 'read' : '*', username, password: USERS_PASSWORD }),
    });
    assert.equal(res.status, 200, `token for ${username}`);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  async function call(method: string, path: string, bearer: string | null, body?: unknown): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    const res = await fetch(`${red.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  }

  const config = (port: number, extra: Record<string, unknown> = {}) => ({ host: '127.0.0.1', port: String(port), bindMode: 'transceiver', ...extra });
  const concrete = (p: string) => p.replace(':id', 'gw-x').replace(':action', 'rebuild');

  it('without a token every endpoint answers 401', async () => {
    for (const r of ADMIN_ROUTES) {
      const res = await call(r.method.toUpperCase(), concrete(r.path), null, r.method === 'post' ? {} : undefined);
      assert.equal(res.status, 401, `${r.method} ${r.path}`);
    }
    // the editor itself is behind the same login: this is not a Node-RED without adminAuth
    assert.equal((await call('GET', '/flows', null)).status, 401);
  });

  it('a read-only user may read the gateway list, but not bind or act', async () => {
    assert.equal((await call('GET', '/smpp-gateway/gateways', reader)).status, 200);
    assert.equal((await call('POST', '/smpp-gateway/probe', reader, { config: config(sim.port), credentials: { systemId: 'probe-acct', password: PASSWORD } })).status, 401);
    assert.equal((await call('POST', '/smpp-gateway/gw-x/disconnect', reader, {})).status, 401);
  });

  it('Test connection with the right password: bound, with the SMSC system_id, and unbound after', async () => {
    const before = sim.stats().binds;
    const res = await call('POST', '/smpp-gateway/probe', admin, { config: config(sim.port), credentials: { systemId: 'probe-acct', password: PASSWORD } });
    assert.equal(res.status, 200, res.text);
    const r = JSON.parse(res.text);
    assert.equal(r.result, 'bound');
    assert.equal(typeof r.systemId, 'string');
    assert.ok(r.systemId.length > 0, 'the SMSC named itself');
    assert.ok(!res.text.includes(PASSWORD), 'the answer does not hold the password');
    assert.equal(sim.stats().binds, before + 1);
    await until(async () => (sim.stats().unbinds > 0 ? true : undefined), 'the probe to unbind', 5000);
  });

  it('Test connection with a wrong password: refused, ESME_RINVPASWD, the password not echoed', async () => {
    const res = await call('POST', '/smpp-gateway/probe', admin, { config: config(sim.port), credentials: { systemId: 'probe-acct', password: WRONG } });
    assert.equal(res.status, 200, res.text);
    const r = JSON.parse(res.text);
    assert.equal(r.result, 'refused');
    assert.equal(r.status, 'ESME_RINVPASWD');
    assert.ok(!res.text.includes(WRONG));
  });

  it('Test connection to a port that accepts TCP but never answers: no answer within the bound time', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const res = await call('POST', '/smpp-gateway/probe', admin, { config: config(port, { bindTimeout: '500', connectTimeout: '500' }), credentials: { systemId: 'a', password: 'b' } });
      const r = JSON.parse(res.text);
      assert.equal(r.result, 'timeout');
      assert.equal(r.stage, 'bind');
    } finally {
      silent.close();
    }
  });

  it('a bad setting is refused with the reason, before any connection', async () => {
    const res = await call('POST', '/smpp-gateway/probe', admin, { config: config(sim.port, { port: '99999' }), credentials: {} });
    assert.equal(res.status, 400);
    const r = JSON.parse(res.text);
    assert.equal(r.result, 'invalid');
    assert.match(r.errors.join(' '), /port/);
  });

  it('a deployed gateway: the placeholder password means its stored one; list and buttons work', async () => {
    const flows = [
      { id: 'tab1', type: 'tab', label: 'probe' },
      { id: 'gwA', type: 'smpp-gateway', name: 'A', host: '127.0.0.1', port: String(sim.port), credentials: { systemId: 'probe-acct', password: PASSWORD } },
      { id: 'snd', type: 'smpp-send', z: 'tab1', gateway: 'gwA', wires: [[], []] },
    ];
    const dep = await fetch(`${red.url}/flows`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full', Authorization: `Bearer ${admin}` },
      body: JSON.stringify(flows),
    });
    assert.equal(dep.status, 204);
    const state = async () => {
      const res = await call('GET', '/smpp-gateway/gateways', admin);
      assert.ok(!res.text.includes(PASSWORD), 'the list does not hold the password');
      const list = JSON.parse(res.text) as Record<string, unknown>[];
      return list.find((g) => g.id === 'gwA');
    };
    await until(async () => ((await state())?.state === 'bound' ? true : undefined), 'gwA bound', 15000);
    const g = (await state())!;
    assert.equal(g.address, `127.0.0.1:${sim.port}`);
    assert.equal(g.name, 'A');

    const probe = await call('POST', '/smpp-gateway/probe', admin, { id: 'gwA', config: config(sim.port), credentials: { systemId: 'probe-acct', password: '__PWRD__' } });
    assert.equal(JSON.parse(probe.text).result, 'bound', probe.text);
    assert.ok(!probe.text.includes(PASSWORD));

    assert.equal((await call('POST', '/smpp-gateway/gwA/disconnect', admin, {})).status, 200);
    await until(async () => ((await state())?.state === 'stopped' ? true : undefined), 'gwA disconnected', 10000);
    assert.equal((await call('POST', '/smpp-gateway/gwA/connect', admin, {})).status, 200);
    await until(async () => ((await state())?.state === 'bound' ? true : undefined), 'gwA bound again', 10000);
    const binds = sim.stats().binds;
    assert.equal((await call('POST', '/smpp-gateway/gwA/rebuild', admin, {})).status, 200);
    await until(async () => (sim.stats().binds > binds && (await state())?.state === 'bound' ? true : undefined), 'gwA rebuilt', 10000);
    assert.equal((await call('POST', '/smpp-gateway/gwA/explode', admin, {})).status, 400);
    assert.equal((await call('POST', '/smpp-gateway/nope/rebuild', admin, {})).status, 404);
    assert.ok(!red.log.includes(PASSWORD), 'the password is not in the Node-RED log');
  });
});
