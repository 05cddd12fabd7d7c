/*
 * The version matrix's own check (counted as a self-check, not a product test): the Node-RED that
 * node-red-node-test-helper embeds and the one a test spawns (red.js) are both the version
 * test/run.js announced, on the announced Node.js, so a matrix run cannot pass while quietly
 * running the devDependency.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import { helper } from '../nodes/node-harness';
import { RedProcess } from '../package/red-process';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const override = require('../../../test/matrix/node-red-override.js');

// Node-RED adds '-git' to its version when it finds a .git directory a few levels above its runtime
// (a node_modules inside a git clone): the same release
const release = (v: string) => v.replace(/-git$/, '');

describe('version matrix: every Node-RED in this run is the announced one', function () {
  this.timeout(90000);
  const announced: string = override.nodeRedVersion();
  const redNode = process.env.SMPP_GW_RED_NODE ? execFileSync(process.env.SMPP_GW_RED_NODE, ['--version']).toString().trim() : process.version;

  it('the embedded runtime (node-red-node-test-helper)', () => {
    assert.equal(release(helper._RED.version()), announced);
  });

  it('a spawned Node-RED (red.js), asked over its admin API, on the announced Node.js', async () => {
    const red = new RedProcess();
    try {
      await red.start();
      const settings = JSON.parse((await red.get('/settings')).text);
      assert.equal(release(settings.version), announced);
      assert.match(red.log, new RegExp(`Node\\.js\\s+version: ${redNode.replace(/\./g, '\\.')}\\b`));
    } finally {
      await red.stop();
    }
  });
});
