#!/usr/bin/env node
'use strict';
// Runs the compiled CLI; `npm run build` (or `npm start`, which builds when needed) produces it.
const path = require('node:path');
const entry = path.join(__dirname, '..', 'dist', 'src', 'cli', 'index.js');
try {
  require.resolve(entry);
} catch {
  console.error('taxiway is not built yet: run `npm run build` first.');
  process.exit(2);
}
require(entry).main(process.argv).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
