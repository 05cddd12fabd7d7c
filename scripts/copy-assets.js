#!/usr/bin/env node
// Copies the editor files (.html, locales) next to the compiled node .js files,
// and fills the placeholders of the .html files:
//   /*@@PARAMETERS@@*/[]          the gateway's parameter table (smpp-gateway.html), so the
//                                 editor validates with exactly the rules the runtime uses
//   null /*@@EDITOR-COMMON@@*/    nodes/editor/common.js: the one i18n/validation helper
//   /*@@EDITOR:<file>@@*/         nodes/editor/<file>: editor code kept in its own file
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const src = path.join(root, 'nodes');
const dst = path.join(root, 'dist', 'nodes');
const editorDir = path.join(src, 'editor');
const PLACEHOLDER = '/*@@PARAMETERS@@*/[]';
const COMMON = 'null /*@@EDITOR-COMMON@@*/';
const PART_RE = /\/\*@@EDITOR:([\w.-]+)@@\*\//g;

function copyDir(from, to, skip) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const a = path.join(from, entry.name);
    const b = path.join(to, entry.name);
    if (skip && skip(a)) continue;
    if (entry.isDirectory()) copyDir(a, b, skip);
    else if (!entry.name.endsWith('.ts')) fs.copyFileSync(a, b);
  }
}

function fail(text) {
  console.error(`copy-assets: ${text}`);
  process.exit(1);
}

// nodes/editor/ holds parts inlined below, not files Node-RED loads
copyDir(src, dst, (p) => p === editorDir);
// Node-RED serves a node's icons from the icons/ folder beside its .js file
copyDir(path.join(root, 'icons'), path.join(dst, 'icons'));

const { PARAMETERS } = require(path.join(root, 'dist', 'src', 'config', 'parameters.js'));
const common = fs.readFileSync(path.join(editorDir, 'common.js'), 'utf8').replace(/^\/\*[\s\S]*?\*\/\s*/, '').trim();

for (const name of fs.readdirSync(dst).filter((f) => f.endsWith('.html'))) {
  const file = path.join(dst, name);
  let text = fs.readFileSync(file, 'utf8');
  if (name === 'smpp-gateway.html') {
    if (!text.includes(PLACEHOLDER)) fail(`${file} lacks the placeholder ${PLACEHOLDER}`);
    text = text.split(PLACEHOLDER).join(JSON.stringify(PARAMETERS));
  }
  text = text.split(COMMON).join(common);
  text = text.replace(PART_RE, (_m, part) => {
    const p = path.join(editorDir, part);
    if (!fs.existsSync(p)) fail(`${file} names ${part}, which is not in nodes/editor/`);
    return fs.readFileSync(p, 'utf8');
  });
  fs.writeFileSync(file, text);
}
