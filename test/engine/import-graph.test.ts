/**
 * The layers, read from the source: every relative import (type-only ones
 * too) of every .ts file under src/ and nodes/. No import loop anywhere, and
 * nodes/ takes from src/engine only the engine contract (engine-api.ts) and
 * its factory (create-gateway.ts).
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');
const ENGINE_DOORS = new Set(['src/engine/engine-api.ts', 'src/engine/create-gateway.ts']);

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...tsFiles(rel));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** The repository-relative .ts files a file imports (relative specifiers only). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec.startsWith('.')) continue;
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    const found = [`${base}.ts`, `${base}/index.ts`, base].find((c) => c.endsWith('.ts') && fs.existsSync(path.join(ROOT, c)));
    if (found) out.push(found);
    else if (!/\.(json|html|js)$/.test(base)) throw new Error(`${file}: cannot resolve import '${spec}'`);
  }
  return out;
}

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of [...tsFiles('src'), ...tsFiles('nodes')]) g.set(f, importsOf(f));
  return g;
}

/** Every import loop, each as the files around it (Tarjan's strongly connected components). */
export function importLoops(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const loops: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (g.get(v) ?? []).includes(v)) loops.push(comp.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return loops;
}

describe('import graph (src/ and nodes/)', () => {
  const g = graph();

  it('reads the source tree', () => {
    assert.ok(g.size > 50, `${g.size} files`);
    assert.ok(g.get('nodes/smpp-gateway.ts')?.includes('src/engine/create-gateway.ts'));
  });

  it('has no import loop', () => {
    assert.deepEqual(importLoops(g), []);
  });

  it('finds a loop when there is one (the checker itself)', () => {
    const loop = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    assert.deepEqual(importLoops(loop), [['a', 'b', 'c']]);
  });

  it('nodes/ imports from src/engine only the contract and the factory', () => {
    const bad: string[] = [];
    for (const [file, deps] of g) {
      if (!file.startsWith('nodes/')) continue;
      for (const d of deps) if (d.startsWith('src/engine/') && !ENGINE_DOORS.has(d)) bad.push(`${file} -> ${d}`);
    }
    assert.deepEqual(bad, []);
  });

  it('src/ never imports nodes/, and the pure layers never import src/engine', () => {
    const bad: string[] = [];
    for (const [file, deps] of g) {
      if (!file.startsWith('src/')) continue;
      for (const d of deps) {
        if (d.startsWith('nodes/')) bad.push(`${file} -> ${d}`);
        if (!file.startsWith('src/engine/') && !file.startsWith('src/simulator/') && file !== 'src/index.ts' && d.startsWith('src/engine/')) bad.push(`${file} -> ${d}`);
      }
    }
    assert.deepEqual(bad, []);
  });
});
