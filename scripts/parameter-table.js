#!/usr/bin/env node
// Prints the README's mapping table from the reference page's parameters to the
// gateway's config fields, from the one table the runtime and the editor use.
'use strict';
const path = require('path');
const { PARAMETERS } = require(path.join(__dirname, '..', 'dist', 'src', 'config', 'parameters.js'));

const GROUPS = { basic: 'Basic configuration', connection: 'ESME connection configuration', protocol: 'Message protocol parameters', advanced: 'Ours (not on the page)' };
function range(p) {
  if (p.type === 'int' || p.type === 'optint') return `${p.min}–${p.max}${p.unit ? ' ' + p.unit : ''}${p.type === 'optint' ? ', or empty' : ''}`;
  if (p.type === 'addr') return `${p.min}–${p.max} or auto`;
  if (p.type === 'enum') return p.options.filter((o) => o !== '').join(' / ') + (p.options.includes('') ? ' / empty' : '');
  if (p.type === 'string') return `text, ≤ ${p.maxLength}`;
  return 'true / false';
}
const out = [];
for (const [g, title] of Object.entries(GROUPS)) {
  out.push(`\n#### ${title}\n`);
  out.push('| Reference page | Config field | Default | Range | Notes |');
  out.push('| --- | --- | --- | --- | --- |');
  for (const p of PARAMETERS.filter((x) => x.group === g)) {
    const show = (v) => (v === '' ? '(empty)' : String(v));
    // ours differs from the page's: both, and why
    const def = p.pageDefault === undefined ? show(p.default) : `**${show(p.default)}** (page: ${show(p.pageDefault)})`;
    const why = p.pageDefault === undefined ? '' : ` **Default differs from the page:** ${p.differs}.`;
    const note = ((p.notApplicable ? '**Not applicable.** ' : '') + p.note + why).replace(/\|/g, '\\|');
    out.push(`| ${p.page || '—'} | \`${p.key}\` | ${def} | ${range(p).replace(/\|/g, '\\|')} | ${note} |`);
  }
}
out.push('\nLogin Name and Login Password are the credentials `systemId` and `password` (Node-RED credentials: never in the flow file).');
console.log(out.join('\n'));
