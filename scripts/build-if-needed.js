'use strict';
// `npm start` builds first when dist/ is missing or older than any source file, so a fresh clone
// runs with one command and a stale build is never served.
const { statSync, readdirSync } = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const built = path.join(root, 'dist', 'src', 'cli', 'index.js');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full));
    else if (/\.(ts|json)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) latest = Math.max(latest, statSync(full).mtimeMs);
  }
  return latest;
}

let builtAt = 0;
try {
  builtAt = statSync(built).mtimeMs;
} catch {
  builtAt = 0;
}
const sources = Math.max(newest(path.join(root, 'src')), newest(path.join(root, 'schemas')));
if (builtAt < sources) {
  console.error('building taxiway…');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
}
