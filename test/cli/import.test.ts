/**
 * `taxiway import`: every accepted input shape, the push's validation and ownership rules, the
 * summary and failures file, malformed input, re-runs, and an import while a server writes to
 * the same SQLite file. The MITRE ATT&CK bundles in ../shared are imported when present.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { buildApp } from '../../src/app';
import { register, runImport, type ImportOptions } from '../../src/cli/import';
import type { CollectionConfig } from '../../src/config/types';
import { silentLogger } from '../../src/logging';
import { IngestService } from '../../src/services/ingest';
import { contentDigest } from '../../src/stix/digest';
import { createStixValidator } from '../../src/stix/validator';
import { createSqliteStore, SqliteStore } from '../../src/store/sqlite';
import { StoreUnavailableError } from '../../src/store/store';
import { captureStdio } from '../support/cli';
import { IDS } from '../support/config';
import { describeWithShared, SHARED } from '../support/shared';
import { indicator, malware, ipv4 } from '../support/stix';
import { taxiiPost } from '../support/app';
import { deployment, io, openStore, storedIn, storedObjects, tempDir, writeInput, type Deployment, type InputShape } from './support';

const validator = createStixValidator();

async function importFiles(d: Deployment, collection: string, files: string[], extra: Partial<ImportOptions> = {}) {
  const sinks = io();
  const report = await runImport({ config: d.config, collection, files, progress: 'none', validator, ...extra }, sinks);
  return { ...report, out: sinks.out.text, err: sinks.err.text };
}

const stored = storedIn;

function collectionOf(d: Deployment, id: string): CollectionConfig {
  const found = d.config.collections.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no collection ${id}`);
  return found;
}

const ATTACK = 'corpus/mitre-attack-stix';
const ICS = `${ATTACK}/ics-attack-18.1.json`;
const ICS_OLD = `${ATTACK}/ics-attack-17.1.json`;
const MOBILE = `${ATTACK}/mobile-attack-17.1.json`;

function bundleObjects(relative: string): Array<Record<string, unknown>> {
  return (JSON.parse(readFileSync(path.join(SHARED, relative), 'utf8')) as { objects: Array<Record<string, unknown>> }).objects;
}

const versionKey = (o: Record<string, unknown>): string => `${String(o.id)}|${String(o.modified ?? o.created)}`;

describeWithShared('taxiway import: MITRE ATT&CK bundles', [ICS, ICS_OLD, MOBILE], () => {
  test.each([ICS, MOBILE])('%s: every valid object is stored once, as a push stores it; a re-run stores nothing', async (relative) => {
    const d = deployment('attack');
    const objects = bundleObjects(relative);
    // The oracle: what a push of the same bundle would accept (the same service, without storing).
    const store = await openStore(d.config);
    const preview = await new IngestService({ store, validator, clock: () => 0n, retentionHours: 1 }).preview(objects, collectionOf(d, IDS.rw));
    await store.close();
    const valid = objects.filter((_o, i) => preview[i].kind !== 'failed');
    const expected = new Map(valid.map((o) => [versionKey(o), JSON.stringify(o)]));
    const invalid = objects.length - valid.length;

    const first = await importFiles(d, 'api1/rw-alias', [path.join(SHARED, relative)]);
    expect(first.tally).toMatchObject({ objects: objects.length, stored: expected.size, duplicates: valid.length - expected.size, failed: invalid });
    expect(first.exitCode).toBe(invalid === 0 ? 0 : 1);
    expect(first.out).toMatch(new RegExp(`stored: +${expected.size.toLocaleString('en-US')}\\n`));
    const afterFirst = await stored(d, IDS.rw);
    expect(afterFirst).toHaveLength(expected.size);
    // Stored text is the push's serialisation of each object, byte for byte.
    expect(new Set(afterFirst.map((o) => o.json))).toEqual(new Set(expected.values()));

    const second = await importFiles(d, IDS.rw, [path.join(SHARED, relative)]);
    expect(second.tally).toMatchObject({ stored: 0, duplicates: valid.length, failed: invalid });
    expect(second.out).toMatch(/stored: +0\n/);
    // Nothing stored twice, nothing re-dated.
    expect(await stored(d, IDS.rw)).toEqual(afterFirst);
  });

  test('a newer release adds its new versions; changed content under an unchanged version is a conflict', async () => {
    const d = deployment('attack-upgrade');
    const older = bundleObjects(ICS_OLD);
    const newer = bundleObjects(ICS);
    const digestOf = new Map(older.map((o) => [versionKey(o), contentDigest(o)]));
    const conflicts = newer.filter((o) => digestOf.has(versionKey(o)) && digestOf.get(versionKey(o)) !== contentDigest(o)).length;
    const unchanged = newer.filter((o) => digestOf.get(versionKey(o)) === contentDigest(o)).length;

    expect((await importFiles(d, IDS.rw, [path.join(SHARED, ICS_OLD)])).exitCode).toBe(0);
    const upgrade = await importFiles(d, IDS.rw, [path.join(SHARED, ICS)]);
    expect(upgrade.tally).toMatchObject({ stored: newer.length - conflicts - unchanged, duplicates: unchanged, failed: conflicts });
    expect(upgrade.tally?.failedByReason).toEqual(conflicts > 0 ? new Map([['conflict', conflicts]]) : new Map());
    expect(upgrade.exitCode).toBe(conflicts > 0 ? 1 : 0);
  });
});

describe('taxiway import: input shapes', () => {
  // Enough objects for several slices and many read chunks, and text that is not ASCII.
  const objects: Array<Record<string, unknown>> = [
    indicator({ name: 'Überwachung ☃ “quoted” \\ back\nslash' }),
    malware(),
    ipv4('198.51.100.7'),
    // JSON.parse keeps "__proto__" as a plain key; so must the import.
    JSON.parse(JSON.stringify(indicator()).replace('"type"', '"__proto__":{"polluted":true},"type"')) as Record<string, unknown>,
    ...Array.from({ length: 2500 }, (_v, i) => indicator({ name: `indicator ${i}` })),
  ];
  const expected = objects.map((o) => JSON.stringify(o));

  test.each<InputShape>(['bundle', 'envelope', 'array', 'ndjson'])('%s input: stored object by object, in file order', async (shape) => {
    const d = deployment(`shape-${shape}`);
    const file = writeInput(d.dir, `input.${shape === 'ndjson' ? 'ndjson' : 'json'}`, shape, objects);
    const result = await importFiles(d, IDS.rw, [file]);
    expect(result.exitCode).toBe(0);
    expect(result.tally).toMatchObject({ objects: objects.length, stored: objects.length, failed: 0 });
    expect((await stored(d, IDS.rw)).map((o) => o.json)).toEqual(expected);
  });

  test('NDJSON is recognised without its extension, with a BOM, CRLF line ends and blank lines', async () => {
    const d = deployment('ndjson-variants');
    const file = path.join(d.dir, 'feed.json');
    writeFileSync(file, '\uFEFF' + objects.slice(0, 50).map((o) => JSON.stringify(o)).join('\r\n\r\n') + '\r\n');
    const result = await importFiles(d, IDS.rw, [file]);
    expect(result.tally).toMatchObject({ stored: 50, failed: 0 });
    expect((await stored(d, IDS.rw)).map((o) => o.json)).toEqual(expected.slice(0, 50));
  });

  test('a bundle with a BOM and on one line; an envelope whose objects come before its other members', async () => {
    const d = deployment('one-line');
    const oneLine = path.join(d.dir, 'one-line.json');
    writeFileSync(oneLine, '\uFEFF' + JSON.stringify({ type: 'bundle', id: 'bundle--6f6b2a3e-7a9e-4e7a-9b1f-2f7f0c1b2a3d', objects: objects.slice(0, 10) }) + '\n');
    const envelope = path.join(d.dir, 'envelope.json');
    writeFileSync(envelope, JSON.stringify({ objects: objects.slice(10, 20), more: false, next: 'x', extra: { objects: [indicator()] } }));
    const result = await importFiles(d, IDS.rw, [oneLine, envelope]);
    expect(result.tally).toMatchObject({ stored: 20, failed: 0 });
    expect((await stored(d, IDS.rw)).map((o) => o.json)).toEqual(expected.slice(0, 20));
  });

  test('several files go into one collection; an empty file or one without an objects list is reported, not fatal', async () => {
    const d = deployment('several');
    const a = writeInput(d.dir, 'a.json', 'bundle', objects.slice(0, 3));
    const b = writeInput(d.dir, 'b.ndjson', 'ndjson', objects.slice(3, 6));
    const empty = path.join(d.dir, 'empty.json');
    writeFileSync(empty, '  \n');
    const lone = path.join(d.dir, 'lone.json');
    writeFileSync(lone, JSON.stringify(objects[6], null, 2));
    const result = await importFiles(d, IDS.rw, [a, empty, b, lone]);
    expect(result.exitCode).toBe(0);
    expect(result.tally).toMatchObject({ stored: 6, failed: 0 });
    expect(result.out).toContain('from 4 files');
    expect(result.out).toContain(`${empty}: no objects found`);
    expect(result.out).toContain(`${lone}: no objects found`);
  });
});

describe('taxiway import: malformed input', () => {
  const objects = Array.from({ length: 2500 }, (_v, i) => indicator({ name: `indicator ${i}` }));

  function lineAndColumn(text: string, byte: number): { line: number; column: number } {
    const before = Buffer.from(text).subarray(0, byte).toString('utf8');
    const lines = before.split('\n');
    return { line: lines.length, column: Buffer.byteLength(lines[lines.length - 1]) + 1 };
  }

  test('broken JSON mid-bundle: everything before it is stored, the error is located to the byte, exit 1', async () => {
    const d = deployment('broken');
    const good = JSON.stringify({ type: 'bundle', id: 'bundle--6f6b2a3e-7a9e-4e7a-9b1f-2f7f0c1b2a3d', objects }, null, 2);
    // Object 1600 loses the opening quote of its name's value.
    const marker = '"name": "indicator 1600"';
    const broken = good.replace(marker, '"name": indicator 1600"');
    const file = path.join(d.dir, 'broken.json');
    writeFileSync(file, broken);
    const byte = Buffer.byteLength(broken.slice(0, broken.indexOf('indicator 1600"')));
    const { line, column } = lineAndColumn(broken, byte);

    const result = await importFiles(d, IDS.rw, [file]);
    expect(result.exitCode).toBe(1);
    expect(result.tally).toMatchObject({ objects: 1600, stored: 1600, failed: 0 });
    expect(result.out).toContain(`${file}: line ${line}, column ${column}, byte ${byte}: malformed JSON: Parser cannot parse input: expected a value`);
    expect((await stored(d, IDS.rw)).map((o) => o.json)).toEqual(objects.slice(0, 1600).map((o) => JSON.stringify(o)));
  });

  test('a bundle cut short: the complete objects are stored and the end of the file is named', async () => {
    const d = deployment('truncated');
    const text = JSON.stringify({ type: 'bundle', id: 'bundle--6f6b2a3e-7a9e-4e7a-9b1f-2f7f0c1b2a3d', objects });
    const cut = text.slice(0, text.indexOf(objects[900].id as string) + 10);
    const file = path.join(d.dir, 'cut.json');
    writeFileSync(file, cut);
    const result = await importFiles(d, IDS.rw, [file]);
    expect(result.exitCode).toBe(1);
    expect(result.tally).toMatchObject({ stored: 900 });
    expect(result.out).toContain(`${file}: line 1, column ${cut.length + 1}, byte ${cut.length}: malformed JSON: Parser has expected a string value`);
  });

  test('a broken NDJSON line: the lines before it are stored and the line is named; later files are still imported', async () => {
    const d = deployment('broken-ndjson');
    const lines = objects.slice(0, 10).map((o) => JSON.stringify(o));
    lines[6] = lines[6].slice(0, -1);
    const file = path.join(d.dir, 'broken.ndjson');
    writeFileSync(file, lines.join('\n') + '\n');
    const next = writeInput(d.dir, 'next.ndjson', 'ndjson', objects.slice(20, 25));
    const result = await importFiles(d, IDS.rw, [file, next]);
    expect(result.exitCode).toBe(1);
    expect(result.tally).toMatchObject({ stored: 11 });
    const byte = Buffer.byteLength(lines.slice(0, 6).join('\n') + '\n');
    expect(result.out).toContain(`${file}: line 7, byte ${byte}: not a JSON value:`);
    expect(result.out).toContain('the 6 objects before it were processed');
  });

  test('an "objects" member that is not a list', async () => {
    const d = deployment('not-a-list');
    const file = path.join(d.dir, 'dict.json');
    writeFileSync(file, JSON.stringify({ type: 'bundle', id: 'bundle--6f6b2a3e-7a9e-4e7a-9b1f-2f7f0c1b2a3d', objects: { 0: objects[0] } }));
    const result = await importFiles(d, IDS.rw, [file]);
    expect(result.exitCode).toBe(1);
    expect(result.out).toContain(`${file}: its "objects" member is not a list of objects`);
  });

  test('text that is not JSON, or a missing file, is refused before anything is stored (exit 2)', async () => {
    const d = deployment('not-json');
    const good = writeInput(d.dir, 'good.json', 'bundle', objects.slice(0, 5));
    const text = path.join(d.dir, 'notes.txt');
    writeFileSync(text, 'hello');
    const notJson = await importFiles(d, IDS.rw, [good, text]);
    expect(notJson.exitCode).toBe(2);
    expect(notJson.err).toContain(`${text}: not JSON (starts with "h")`);
    const missing = await importFiles(d, IDS.rw, [good, path.join(d.dir, 'missing.json')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.err).toMatch(/missing\.json: ENOENT/);
    expect(await stored(d, IDS.rw)).toEqual([]);
  });
});

describe('taxiway import: validation, summary and the failures file', () => {
  const small = '99999999-9999-4999-8999-999999999999';

  test('each failure is counted by reason and written as a JSON line; exit 1', async () => {
    const d = deployment('failures', { extraCollections: [{ id: small, api_root: 'api2', alias: 'small', title: 'Small objects', max_object_bytes: 1024 }] });
    const first = indicator();
    const objects: unknown[] = [
      first,
      { ...indicator(), pattern: undefined, pattern_type: undefined },
      42,
      { type: 'bundle', id: 'bundle--6f6b2a3e-7a9e-4e7a-9b1f-2f7f0c1b2a3d', objects: [indicator()] },
      { ...first, name: 'changed without a new version' },
      indicator({ name: 'x'.repeat(2000) }),
      first,
      { ...malware(), spec_version: undefined },
    ];
    const file = writeInput(d.dir, 'mixed.json', 'bundle', objects);
    const failures = path.join(d.dir, 'failures.ndjson');
    const result = await importFiles(d, 'api2/small', [file], { failures });
    expect(result.exitCode).toBe(1);
    expect(result.tally).toMatchObject({ objects: 8, stored: 1, duplicates: 1, failed: 6 });
    const lines = readFileSync(failures, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.index, l.reason])).toEqual([
      [1, expect.any(String)],
      [2, 'json-object'],
      [3, 'bundle-in-envelope'],
      [4, 'conflict'],
      [5, 'object-too-large'],
      [7, expect.any(String)],
    ]);
    expect(lines[0]).toMatchObject({ file, id: (objects[1] as { id: string }).id, version: '2024-01-01T00:00:00.000000Z', message: expect.stringContaining('pattern') });
    expect(lines[1]).toMatchObject({ id: null, version: expect.any(String) });
    expect(lines[3].message).toMatch(/^\[conflict\]/);
    for (const reason of ['json-object', 'bundle-in-envelope', 'conflict', 'object-too-large']) expect(result.out).toMatch(new RegExp(`\\n    ${reason}: 1\\n`));
    expect(result.out).toMatch(/failed: +6\n/);
    expect(result.out).toMatch(/already there: +1\n/);
    expect(result.out).toContain(`failures written to ${failures}`);
  });

  test('a clean import leaves an empty failures file and exits 0', async () => {
    const d = deployment('no-failures');
    const failures = path.join(d.dir, 'failures.ndjson');
    writeFileSync(failures, 'old content\n');
    const result = await importFiles(d, IDS.rw, [writeInput(d.dir, 'ok.json', 'bundle', [indicator()])], { failures });
    expect(result.exitCode).toBe(0);
    expect(readFileSync(failures, 'utf8')).toBe('');
  });

  test('a STIX 2.0 object goes only where the collection takes STIX 2.0', async () => {
    const d = deployment('stix20');
    const old = { ...indicator(), spec_version: undefined, labels: ['malicious-activity'], pattern_type: undefined, valid_from: '2024-01-01T00:00:00Z' };
    const file = writeInput(d.dir, 'old.json', 'array', [old]);
    expect((await importFiles(d, IDS.rw, [file])).tally).toMatchObject({ failed: 1 });
    expect((await importFiles(d, IDS.stix20, [file])).tally).toMatchObject({ stored: 1, failed: 0 });
  });

  test('progress lines on a non-terminal: share read, counts, rate and ETA', async () => {
    const d = deployment('progress');
    const file = writeInput(d.dir, 'many.ndjson', 'ndjson', Array.from({ length: 2100 }, () => indicator()));
    const result = await importFiles(d, IDS.rw, [file], { progress: 'lines', progressIntervalMs: 0 });
    expect(result.err).toMatch(/^import: [\d.]+% of [\d.]+ \w+ read, [\d,]+ objects \([\d,]+ stored, 0 already there, 0 failed\), [\d,]+ objects\/s, ETA \S+/m);
    expect(result.err).toMatch(/import: 100\.0% of .* 2,100 objects/);
  });
});

describe('taxiway import: a store failure', () => {
  test('stops the import with exit 1 and a summary; what was stored stays, and a re-run finishes the job', async () => {
    const d = deployment('store-failure');
    const objects = Array.from({ length: 2500 }, () => indicator());
    const file = writeInput(d.dir, 'many.ndjson', 'ndjson', objects);
    const real = SqliteStore.prototype.addObjects;
    let calls = 0;
    const spy = jest.spyOn(SqliteStore.prototype, 'addObjects').mockImplementation(function (this: SqliteStore, ...args) {
      calls++;
      if (calls === 2) return Promise.reject(new StoreUnavailableError('database is locked'));
      return real.apply(this, args);
    });
    let stopped;
    try {
      stopped = await importFiles(d, IDS.rw, [file]);
    } finally {
      spy.mockRestore();
    }
    expect(stopped.exitCode).toBe(1);
    expect(stopped.out).toContain('import stopped: database is locked; what was stored stays stored: run the same command again to go on');
    const before = (await stored(d, IDS.rw)).length;
    expect(before).toBe(stopped.tally?.stored);
    expect(before).toBeGreaterThan(0);
    const rerun = await importFiles(d, IDS.rw, [file]);
    expect(rerun.tally).toMatchObject({ stored: 2500 - before, duplicates: before, failed: 0 });
  });
});

describe('taxiway import: ownership', () => {
  function versionsOf(objects: Array<Record<string, unknown>>, modified: string): Array<Record<string, unknown>> {
    return objects.map((o) => ({ ...o, modified }));
  }

  test('without --as the objects have no owner, and nobody is kept from adding versions', async () => {
    const d = deployment('no-owner');
    const objects = [indicator(), indicator()];
    expect((await importFiles(d, IDS.rw, [writeInput(d.dir, 'v1.json', 'bundle', objects)])).exitCode).toBe(0);
    const store = await openStore(d.config);
    for (const o of objects) expect(await store.getOwner(IDS.rw, o.id as string)).toBeUndefined();
    await store.close();
    const v2 = writeInput(d.dir, 'v2.json', 'bundle', versionsOf(objects, '2025-01-01T00:00:00.000Z'));
    expect((await importFiles(d, IDS.rw, [v2], { as: 'carol' })).tally).toMatchObject({ stored: 2, failed: 0 });
  });

  test('--as USER owns what it adds first; another user cannot add versions, a maintainer can', async () => {
    const d = deployment('owner');
    const objects = [indicator(), malware()];
    expect((await importFiles(d, IDS.rw, [writeInput(d.dir, 'v1.json', 'bundle', objects)], { as: 'alice' })).exitCode).toBe(0);
    const store = await openStore(d.config);
    for (const o of objects) expect(await store.getOwner(IDS.rw, o.id as string)).toBe('alice');
    await store.close();

    const v2 = writeInput(d.dir, 'v2.json', 'bundle', versionsOf(objects, '2025-01-01T00:00:00.000Z'));
    const carol = await importFiles(d, IDS.rw, [v2], { as: 'carol' });
    expect(carol.exitCode).toBe(1);
    expect(carol.tally?.failedByReason).toEqual(new Map([['not-owner', 2]]));
    // Import bypasses permissions only: admin maintains this collection, so ownership does not stop them.
    expect((await importFiles(d, IDS.rw, [v2], { as: 'admin' })).tally).toMatchObject({ stored: 2, failed: 0 });
    expect((await importFiles(d, IDS.rw, [v2], { as: 'alice' })).tally).toMatchObject({ duplicates: 2 });
  });

  test('where the collection opts out of ownership, any user may add versions', async () => {
    const d = deployment('shared');
    const objects = [indicator()];
    await importFiles(d, IDS.shared, [writeInput(d.dir, 'v1.json', 'bundle', objects)], { as: 'alice' });
    const v2 = writeInput(d.dir, 'v2.json', 'bundle', versionsOf(objects, '2025-01-01T00:00:00.000Z'));
    expect((await importFiles(d, IDS.shared, [v2], { as: 'carol' })).tally).toMatchObject({ stored: 1, failed: 0 });
  });

  test('--as an unknown user is a usage error', async () => {
    const d = deployment('unknown-user');
    const result = await importFiles(d, IDS.rw, [writeInput(d.dir, 'v1.json', 'bundle', [indicator()])], { as: 'mallory' });
    expect(result.exitCode).toBe(2);
    expect(result.err).toContain('--as mallory: no such user in the configuration (users: alice, bob, carol, admin)');
  });
});

describe('taxiway import: the command', () => {
  async function command(argv: string[]): Promise<{ code: number | undefined; out: string; err: string }> {
    let code: number | undefined;
    const program = new Command().exitOverride();
    register(program, (c) => (code = c));
    const c = captureStdio();
    try {
      await program.parseAsync(['node', 'taxiway', ...argv]);
    } finally {
      c.restore();
    }
    return { code, out: c.out(), err: c.err() };
  }

  test('loads the config named by --config and resolves ROOT/ALIAS', async () => {
    const d = deployment('command');
    const file = writeInput(d.dir, 'in.json', 'bundle', [indicator(), indicator()]);
    const result = await command(['import', 'api1/rw-alias', file, '--config', d.configFile, '--no-progress']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/imported 2 objects from 1 file into api1\/rw-alias \(11111111-1111-4111-8111-111111111111\)/);
    expect(result.err).toBe('');
    expect(await stored(d, IDS.rw)).toHaveLength(2);
  });

  test('an unknown collection exits 2 and lists the configured ones', async () => {
    const d = deployment('command-unknown');
    const result = await command(['import', 'api1/nope', writeInput(d.dir, 'in.json', 'bundle', [indicator()]), '--config', d.configFile]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("no collection 'api1/nope'");
    expect(result.err).toContain(`  api1/rw-alias  ${IDS.rw}  Read-write`);
    expect(result.err).toContain(`  api2/${IDS.other}  ${IDS.other}  Admin only`);
  });

  test('a broken config exits 2', async () => {
    const dir = tempDir('bad-config');
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'collections: nope\n');
    const result = await command(['import', IDS.rw, file, '--config', file]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('bad.yaml');
  });
});

describe('taxiway import: while a server uses the same SQLite file', () => {
  test('pushes and the import interleave; every version gets its own, increasing date_added', async () => {
    const d = deployment('live');
    const serverStore = createSqliteStore({ path: d.config.store.sqlite.path });
    await serverStore.open();
    const app = buildApp({ config: d.config, store: serverStore, logger: silentLogger(), validator });
    try {
      const imported = Array.from({ length: 3000 }, (_v, i) => indicator({ name: `imported ${i}` }));
      const file = writeInput(d.dir, 'big.ndjson', 'ndjson', imported);
      const pushed = Array.from({ length: 20 }, (_v, i) => indicator({ name: `pushed ${i}` }));
      const importing = importFiles(d, IDS.rw, [file]);
      const responses = [];
      for (const object of pushed) responses.push(await taxiiPost(app, `/api1/collections/${IDS.rw}/objects/`, { objects: [object] }, 'alice'));
      const result = await importing;
      expect(responses.map((r) => r.status)).toEqual(pushed.map(() => 202));
      expect(result.tally).toMatchObject({ stored: 3000, failed: 0 });
      const all = await storedObjects(serverStore, IDS.rw);
      expect(all).toHaveLength(3020);
      const dates = all.map((o) => o.dateAdded);
      expect(new Set(dates).size).toBe(dates.length);
      expect([...dates].sort()).toEqual(dates);
    } finally {
      await serverStore.close();
    }
  });
});
