/**
 * The Flow Library's checker, `node-red-dev validate`, on the packed package
 * (npm pack, unpacked), and every check must pass.
 *
 * node-red-dev fetches https://catalogue.nodered.org/catalogue.json (checks
 * P08 and N01) with axios, which this machine cannot reach. axios honours
 * HTTPS_PROXY / NO_PROXY, and sends a request for an https URL to an http
 * proxy as a plain GET of the whole URL; so a tiny server on 127.0.0.1 set
 * as the proxy answers the catalogue with an empty one. The npm registry
 * (P06, P07, D02, D03) stays direct through NO_PROXY, as the registry is
 * reachable here and in CI. Any other URL sent to the local server is
 * answered 404 and fails the test.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './red-process';

const CATALOGUE = 'https://catalogue.nodered.org/catalogue.json';
const EXPECTED = ['P01', 'P03', 'P04', 'P05', 'P06', 'P07', 'P08', 'N01', 'N02', 'D01', 'D02', 'D03'];
const NODES = ['smpp-send', 'smpp-receive', 'smpp-dlr', 'smpp-control'];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, ms: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node-red-dev validate did not finish within ${ms} ms:\n${out}`));
    }, ms);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('node-red-dev validate (the Flow Library checker) on the packed package', function () {
  this.timeout(180000);
  let dir: string;
  let server: http.Server;
  let proxyPort = 0;
  const asked: string[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-gw-validate-'));
    const tarball = execFileSync('npm', ['pack', '--pack-destination', dir, '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop() as string;
    execFileSync('tar', ['-xzf', path.join(dir, tarball), '-C', dir]);
    // the installed dependencies, for the "latest versions" check (npm-check reads node_modules)
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'package', 'node_modules'), 'dir');
    server = http.createServer((req, res) => {
      asked.push(String(req.url));
      if (req.method === 'GET' && req.url === CATALOGUE) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ name: 'Node-RED Community catalogue', updated_at: new Date().toISOString(), modules: [] }));
        return;
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxyPort = (server.address() as net.AddressInfo).port;
  });

  after(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (dir) {
      try {
        fs.unlinkSync(path.join(dir, 'package', 'node_modules'));
      } catch {
        // not made
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes every check, with every node parsed and used in an example', async () => {
    const proxy = `http://127.0.0.1:${proxyPort}`;
    const noProxy = 'registry.npmjs.org,127.0.0.1,localhost';
    const env: NodeJS.ProcessEnv = { ...process.env, HTTPS_PROXY: proxy, https_proxy: proxy, HTTP_PROXY: proxy, http_proxy: proxy, NO_PROXY: noProxy, no_proxy: noProxy };
    const scorecard = path.join(dir, 'scorecard.json');
    const bin = path.join(ROOT, 'node_modules', 'node-red-dev', 'bin', 'run');
    const { code, out } = await run(process.execPath, [bin, 'validate', '-p', path.join(dir, 'package'), '-o', scorecard], env, 150000);
    assert.equal(code, 0, out);
    assert.ok(asked.includes(CATALOGUE), `the catalogue came from the local server:\n${out}`);
    assert.deepEqual(asked.filter((u) => u !== CATALOGUE), [], 'nothing else was sent to the local server');
    assert.ok(!/Unable to parse/.test(out), `every node's editor file parses:\n${out}`);
    const card = JSON.parse(fs.readFileSync(scorecard, 'utf8'));
    assert.deepEqual(Object.keys(card).filter((k) => k !== 'package').sort(), [...EXPECTED].sort(), out);
    for (const k of EXPECTED) assert.equal(card[k].test, true, `${k} failed: ${JSON.stringify(card[k])}\n${out}`);
    assert.deepEqual([...card.N02.nodes].sort(), [...NODES].sort(), 'the examples cover every node');
    assert.equal(card.package.name, 'node-red-contrib-smpp-gateway');
  });
});
