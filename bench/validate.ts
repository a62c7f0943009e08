/**
 * Validation throughput on the MITRE ATT&CK corpus (`../shared/corpus/mitre-attack-stix`, the folder
 * beside the repository, or a directory given as the first argument). Built by `tsc -p
 * tsconfig.build.json` to `dist/bench/validate.js` and run by `npm run bench`. Prints objects per second
 * on one core, for the default `standard` policy. Goal: at least 50,000 objects/s.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createStixValidator } from '../src/stix/validator';

const MIN_DURATION_MS = 3000;

function findCorpus(): string {
  const given = process.argv[2];
  if (given) return path.resolve(given);
  // From bench/ (ts) or dist/bench/ (built): walk up to the repository, then to ../shared.
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.resolve(dir, '..', 'shared', 'corpus', 'mitre-attack-stix');
}

function loadObjects(directory: string): unknown[] {
  const objects: unknown[] = [];
  for (const name of fs.readdirSync(directory).sort()) {
    // The ATT&CK releases are bundles; the sample_* file is a loose array of spec-3.3.0 drafts, not releases.
    if (!name.endsWith('.json') || name.startsWith('sample_')) continue;
    const parsed = JSON.parse(fs.readFileSync(path.join(directory, name), 'utf8')) as { objects?: unknown[] };
    if (Array.isArray(parsed.objects)) objects.push(...parsed.objects);
  }
  return objects;
}

function main(): void {
  const corpus = findCorpus();
  if (!fs.existsSync(corpus)) {
    process.stderr.write(`ATT&CK corpus not found at ${corpus}; pass its directory as the first argument\n`);
    process.exitCode = 2;
    return;
  }
  const objects = loadObjects(corpus);
  const compileStart = process.hrtime.bigint();
  const validator = createStixValidator();
  const compileMs = Number(process.hrtime.bigint() - compileStart) / 1e6;
  const options = { policy: 'standard', acceptStix20: false } as const;

  let invalid = 0;
  for (const object of objects) if (!validator.validate(object, options).valid) invalid++; // warm-up pass

  let validated = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < MIN_DURATION_MS) {
    for (const object of objects) validator.validate(object, options);
    validated += objects.length;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const perSecond = Math.round((validated / elapsedMs) * 1000);
  process.stdout.write(
    `schemas compiled in ${compileMs.toFixed(0)} ms; ${objects.length} ATT&CK objects (${invalid} invalid); ` +
      `${validated} validations in ${elapsedMs.toFixed(0)} ms: ${perSecond.toLocaleString('en-US')} objects/s\n`,
  );
}

main();
