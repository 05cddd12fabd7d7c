/** The Net::SMPP SMSC script (test/interop/net-smpp-smsc.pl): where it is, that it can run, and what it printed. */
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const SCRIPT = path.resolve(__dirname, '../../../test/interop/net-smpp-smsc.pl');
const INSTALL_HINT = 'Perl module Net::SMPP is not installed: run `bash .ci/install-peers.sh` as root (Debian package libnet-smpp-perl)';

/** Fails (never skips) with how to install Net::SMPP when it is missing. */
export function requireNetSmpp(): void {
  assert.ok(fs.existsSync(SCRIPT), `missing ${SCRIPT}`);
  const r = spawnSync('perl', ['-MNet::SMPP', '-e', '1'], { encoding: 'utf8', timeout: 10000 });
  assert.ok(r.status === 0, `${INSTALL_HINT}\n${r.error?.message ?? ''}${r.stderr ?? ''}`);
}

/** the lines `KIND key=value ...` the script printed, as records */
export function records(text: string, kind: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${kind} `)) continue;
    const rec: Record<string, string> = {};
    for (const part of line.slice(kind.length + 1).split(' ')) {
      const eq = part.indexOf('=');
      if (eq > 0) rec[part.slice(0, eq)] = part.slice(eq + 1);
    }
    out.push(rec);
  }
  return out;
}
