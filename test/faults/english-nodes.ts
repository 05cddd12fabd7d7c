/**
 * Our five nodes for node-red-node-test-helper, with RED._ answering from
 * the en-US catalogs (the helper's RED._ returns the bare key), so a test
 * can read a status or an error as an English-speaking user sees it; and
 * Node-RED's own Catch node, to check what reaches a Catch.
 */
import * as fs from 'fs';
import * as path from 'path';
import { helper, NODES } from '../nodes/node-harness';

const LOCALES = path.join(__dirname, '..', '..', '..', 'nodes', 'locales', 'en-US');

const catalogs: Record<string, any> = {};
for (const f of fs.readdirSync(LOCALES)) if (f.endsWith('.json')) Object.assign(catalogs, JSON.parse(fs.readFileSync(path.join(LOCALES, f), 'utf8')));

/** i18next's lookup as Node-RED uses it: dotted key, __name__ substitutions; the key itself when missing. */
export function english(key: string, subs: Record<string, unknown> = {}): string {
  const k = key.includes(':') ? key.slice(key.indexOf(':') + 1) : key;
  let v: any = catalogs;
  for (const part of k.split('.')) v = v?.[part];
  if (typeof v !== 'string') return key;
  return v.replace(/__(\w+)__/g, (_m, name: string) => (subs[name] === undefined ? '' : String(subs[name])));
}

function withEnglish(mod: (red: any) => unknown): (red: any) => unknown {
  return (red: any) => {
    const r = Object.create(red);
    r._ = english;
    return mod(r);
  };
}

// eslint-disable-next-line @typescript-eslint/no-var-requires
const CATCH = require(require.resolve('@node-red/nodes/core/common/25-catch.js', { paths: [path.dirname(require.resolve('node-red'))] }));

export const ENGLISH_NODES = [...NODES.map(withEnglish), CATCH];

export async function loadEnglish(f: object[], creds: object = { gw1: { systemId: 'esme', password: 'secret1' } }): Promise<void> {
  await new Promise<void>((resolve, reject) => helper.load(ENGLISH_NODES, f, creds, (err: Error | undefined) => (err ? reject(err) : resolve())));
}
