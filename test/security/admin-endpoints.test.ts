/**
 * Any admin HTTP endpoint the package adds must sit behind Node-RED's
 * permissions (RED.auth.needsPermission). Each node module is registered
 * against a runtime that records every route; the routes must be exactly the
 * smpp-gateway's three (Test connection, the sidebar's list, its buttons),
 * each with its permission. The package's own files are also searched for
 * routes added some other way. test/security/admin-auth.test.ts checks the
 * same routes in a real Node-RED with adminAuth on.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const NODE_FILES: Record<string, string> = pkg['node-red'].nodes;

interface Route {
  method: string;
  path: string;
  handlers: unknown[];
}

function recordingRed(routes: Route[], registered: string[]) {
  const permissionChecks = new WeakSet<object>();
  const router = (kind: string) =>
    new Proxy(
      {},
      {
        get: (_t, method: string) => (p: string, ...handlers: unknown[]) => routes.push({ method: `${kind}.${method}`, path: String(p), handlers }),
      },
    );
  const RED = {
    httpAdmin: router('httpAdmin') as Record<string, (...a: unknown[]) => void>,
    httpNode: router('httpNode') as Record<string, (...a: unknown[]) => void>,
    auth: {
      needsPermission: (permission: string) => {
        const check = (_req: unknown, _res: unknown, next: () => void) => next();
        permissionChecks.add(check);
        (check as unknown as { permission: string }).permission = permission;
        return check;
      },
    },
    nodes: {
      registerType: (type: string) => registered.push(type),
      createNode: () => undefined,
      getNode: () => null,
    },
    settings: {},
    log: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} },
    util: {},
    events: { on() {}, off() {} },
    _: (k: string) => k,
  };
  return { RED, isPermissionCheck: (h: unknown) => typeof h === 'function' && permissionChecks.has(h as object) };
}

/** What is wrong with the routes recorded: public routes, and admin routes without a permission check. */
function problems(routes: Route[], isPermissionCheck: (h: unknown) => boolean): string[] {
  const out: string[] = [];
  for (const r of routes) {
    if (r.method.startsWith('httpNode.')) out.push(`${r.method} ${r.path}: a public route`);
    else if (!r.handlers.some(isPermissionCheck)) out.push(`${r.method} ${r.path}: no RED.auth.needsPermission`);
  }
  return out;
}

describe('security: admin HTTP endpoints', () => {
  it('the check finds an unprotected or public route (it can fail)', () => {
    const routes: Route[] = [];
    const { RED, isPermissionCheck } = recordingRed(routes, []);
    const handler = () => undefined;
    RED.httpAdmin.get('/smpp/open', handler);
    RED.httpAdmin.post('/smpp/guarded', RED.auth.needsPermission('smpp-gateway.write'), handler);
    RED.httpNode.get('/smpp/public', handler);
    assert.deepEqual(problems(routes, isPermissionCheck), [
      'httpAdmin.get /smpp/open: no RED.auth.needsPermission',
      'httpNode.get /smpp/public: a public route',
    ]);
  });

  it('every node module registers; the routes are exactly the gateway\'s three, each with its permission', () => {
    const routes: Route[] = [];
    const registered: string[] = [];
    const { RED, isPermissionCheck } = recordingRed(routes, registered);
    for (const file of Object.values(NODE_FILES)) {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const register = require(path.join(root, file));
      (typeof register === 'function' ? register : register.default)(RED);
    }
    assert.deepEqual(registered.sort(), Object.keys(NODE_FILES).sort(), 'each module registered its node type');
    assert.deepEqual(problems(routes, isPermissionCheck), []);
    const permissionOf = (r: Route) => (r.handlers.find(isPermissionCheck) as unknown as { permission: string }).permission;
    assert.deepEqual(
      routes.map((r) => `${r.method} ${r.path} ${permissionOf(r)}`),
      [
        'httpAdmin.post /smpp-gateway/probe smpp-gateway.write',
        'httpAdmin.get /smpp-gateway/gateways smpp-gateway.read',
        'httpAdmin.post /smpp-gateway/:id/:action smpp-gateway.write',
      ],
    );
  });

  it('no other way in: the package files add no route without a permission check', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(js|html)$/.test(e.name)) files.push(p);
      }
    };
    walk(path.join(root, 'dist', 'nodes'));
    walk(path.join(root, 'dist', 'src'));
    assert.ok(files.length > 10, 'the built package was found');
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      for (const m of text.matchAll(/\b(httpAdmin|httpNode)\s*\.\s*(get|post|put|delete|patch|all|use)\s*\(([^;]*)/g)) {
        assert.equal(m[1], 'httpAdmin', `${path.relative(root, f)}: ${m[0].slice(0, 80)}`);
        assert.match(m[3], /needsPermission\s*\(/, `${path.relative(root, f)}: ${m[0].slice(0, 80)} has no permission check`);
      }
      assert.ok(!/\bexpress\s*\(\s*\)|\.createServer\s*\(\s*\(?\s*req\b/.test(text), `${path.relative(root, f)} starts its own HTTP server`);
    }
  });
});
