/*
 * What we declare is what we test: package.json's engines.node and node-red.version, and the
 * README's tested-versions line, agree with the version matrix that `npm test` runs
 * (test/matrix/run-all.js). Changing one without the others fails here.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { JOBS } = require(path.join(ROOT, 'test', 'matrix', 'run-all.js')) as { JOBS: { nodeRed: string; node: number; redNode?: number }[] };
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

const minors = [...new Set(JOBS.map((j) => j.nodeRed))].sort((a, b) => Number(a.split('.')[0]) - Number(b.split('.')[0]) || Number(a.split('.')[1]) - Number(b.split('.')[1]));
const nodeMajors = [...new Set(JOBS.map((j) => j.redNode ?? j.node))].sort((a, b) => a - b);

describe('declared versions match the version matrix', () => {
  it('package.json node-red.version spans exactly the oldest to the newest Node-RED tested', () => {
    const oldest = minors[0];
    const newestMajor = Number(minors[minors.length - 1].split('.')[0]);
    assert.equal(pkg['node-red'].version, `>=${oldest}.0 <${newestMajor + 1}.0.0`);
  });

  it('package.json engines.node starts at the oldest Node.js a Node-RED of the matrix runs on', () => {
    assert.equal(pkg.engines.node, `>=${nodeMajors[0]}`);
  });

  it('the README names each tested Node-RED with its Node.js', () => {
    const line = readme.split('\n').find((l) => l.startsWith('Tested on'));
    assert.ok(line, 'a README line starting "Tested on"');
    for (const j of JOBS) assert.ok(line!.includes(`Node-RED ${j.nodeRed} with Node.js ${j.redNode ?? j.node}`), `README: Node-RED ${j.nodeRed} with Node.js ${j.redNode ?? j.node} in: ${line}`);
  });
});
