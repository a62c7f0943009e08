/**
 * `taxiway export`: the selection (TAXII defaults, --all-versions, --type, --added-after),
 * both formats, paging, output backpressure and failures, and round trips through
 * `taxiway import` that must give back the same stored JSON, byte for byte.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { register, runExport, type ExportOptions } from '../../src/cli/export';
import { runImport } from '../../src/cli/import';
import { createStixValidator } from '../../src/stix/validator';
import { IDS } from '../support/config';
import { describeWithShared, SHARED } from '../support/shared';
import { indicator, malware, ipv4 } from '../support/stix';
import { deployment, io, Sink, storedIn, writeInput, type Deployment } from './support';

const validator = createStixValidator();

async function load(d: Deployment, collection: string, objects: readonly unknown[], name = 'input.json'): Promise<void> {
  const report = await runImport({ config: d.config, collection, files: [writeInput(d.dir, name, 'bundle', objects)], progress: 'none', validator }, io());
  expect(report.tally).toMatchObject({ failed: 0 });
}

async function exportText(d: Deployment, options: Partial<ExportOptions> & { collection: string }): Promise<{ exitCode: number; text: string; err: string }> {
  const sinks = io();
  const result = await runExport({ config: d.config, allVersions: false, format: 'bundle', ...options }, { stdout: sinks.out, err: sinks.err });
  return { exitCode: result.exitCode, text: sinks.out.text, err: sinks.err.text };
}

async function storedJson(d: Deployment, collectionId: string): Promise<string[]> {
  return (await storedIn(d, collectionId)).map((o) => o.json);
}

const BUNDLE_HEAD = /^\{"type":"bundle","id":"bundle--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"/;

function idsIn(text: string, format: 'bundle' | 'ndjson'): string[] {
  const objects = format === 'ndjson' ? text.trim().split('\n').filter((l) => l).map((l) => JSON.parse(l) as { id: string }) : ((JSON.parse(text) as { objects?: Array<{ id: string }> }).objects ?? []);
  return objects.map((o) => o.id);
}

describe('taxiway export: what is selected', () => {
  const first = indicator({ modified: '2024-01-01T00:00:00.000Z' });
  const second = { ...first, modified: '2024-06-01T00:00:00.000Z', name: 'second version' };
  const others = [malware(), ipv4('198.51.100.9'), indicator()];

  test('by default each object once, in its latest version, as a TAXII poll; --all-versions every version', async () => {
    const d = deployment('export-select');
    await load(d, IDS.rw, [first, ...others], 'v1.json');
    await load(d, IDS.rw, [second], 'v2.json');
    const latest = await exportText(d, { collection: IDS.rw });
    expect(latest.exitCode).toBe(0);
    expect(latest.text).toMatch(BUNDLE_HEAD);
    const parsed = JSON.parse(latest.text) as { objects: Array<Record<string, unknown>> };
    expect(parsed.objects).toEqual([...others, second]);
    const all = await exportText(d, { collection: IDS.rw, allVersions: true });
    expect((JSON.parse(all.text) as { objects: unknown[] }).objects).toEqual([first, ...others, second]);
    expect(latest.err).toBe(`exported 4 objects from api1/rw-alias (${IDS.rw}) to standard output\n`);
  });

  test('each spec version is exported with --all-versions; by default only the latest spec', async () => {
    const d = deployment('export-spec');
    const id = `indicator--${randomUUID()}`;
    const stix20 = { type: 'indicator', id, created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', labels: ['malicious-activity'], pattern: "[ipv4-addr:value = '198.51.100.1']", valid_from: '2024-01-01T00:00:00Z' };
    const stix21 = indicator({ id, modified: '2024-06-01T00:00:00.000Z' });
    await load(d, IDS.stix20, [stix20, stix21]);
    expect(idsIn((await exportText(d, { collection: IDS.stix20, format: 'ndjson' })).text, 'ndjson')).toEqual([id]);
    const all = (await exportText(d, { collection: IDS.stix20, format: 'ndjson', allVersions: true })).text.trim().split('\n');
    expect(all.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([stix20, stix21]);
  });

  test('--type keeps the listed types; --added-after keeps what was added after that instant', async () => {
    const d = deployment('export-filters');
    await load(d, IDS.rw, [first, ...others]);
    const types = await exportText(d, { collection: IDS.rw, types: ['malware', 'ipv4-addr'], format: 'ndjson' });
    expect(idsIn(types.text, 'ndjson')).toEqual([others[0].id, others[1].id]);
    const dates = (await storedIn(d, IDS.rw)).map((o) => o.dateAdded);
    const later = await exportText(d, { collection: IDS.rw, addedAfter: dates[1], format: 'ndjson' });
    expect(idsIn(later.text, 'ndjson')).toEqual([others[1].id, others[2].id]);
    // Any RFC 3339 UTC form is accepted; a date before everything selects everything.
    expect(idsIn((await exportText(d, { collection: IDS.rw, addedAfter: '2000-01-01T00:00:00Z' })).text, 'bundle')).toHaveLength(4);
  });

  test('many pages make the same output as one', async () => {
    const d = deployment('export-pages');
    const objects = Array.from({ length: 250 }, (_v, i) => indicator({ name: `n${i}` }));
    await load(d, IDS.rw, objects);
    const paged = await exportText(d, { collection: IDS.rw, format: 'ndjson', pageSize: 7 });
    const whole = await exportText(d, { collection: IDS.rw, format: 'ndjson', pageSize: 1000 });
    expect(paged.text).toBe(whole.text);
    expect(paged.text).toBe((await storedJson(d, IDS.rw)).map((json) => `${json}\n`).join(''));
  });

  test('an empty collection: a bundle without objects (STIX forbids an empty list), empty NDJSON', async () => {
    const d = deployment('export-empty');
    const bundle = await exportText(d, { collection: IDS.ro });
    expect(bundle.text).toMatch(new RegExp(`${BUNDLE_HEAD.source}\\}\\n$`));
    expect((await exportText(d, { collection: IDS.ro, format: 'ndjson' })).text).toBe('');
  });
});

describe('taxiway export: output', () => {
  test('waits for a slow reader: never more than a page is buffered', async () => {
    const d = deployment('export-slow');
    await load(d, IDS.rw, Array.from({ length: 600 }, () => indicator()));
    let chunks = 0;
    let maxBuffered = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(_chunk: Buffer, _encoding, callback) {
        chunks++;
        setTimeout(callback, 2);
      },
    });
    const watch = setInterval(() => (maxBuffered = Math.max(maxBuffered, slow.writableLength)), 1);
    const result = await runExport({ config: d.config, collection: IDS.rw, allVersions: false, format: 'ndjson', pageSize: 50 }, { stdout: slow, err: new Sink() });
    clearInterval(watch);
    expect(result).toEqual({ exitCode: 0, objects: 600 });
    expect(chunks).toBeGreaterThanOrEqual(12);
    // One page of 50 small objects is about 20 KB; without waiting all 600 would be queued.
    expect(maxBuffered).toBeLessThan(60_000);
  });

  test('--output writes the file under a temporary name and renames it when complete', async () => {
    const d = deployment('export-file');
    await load(d, IDS.rw, [indicator(), malware()]);
    const file = path.join(d.dir, 'out.json');
    const sinks = io();
    const result = await runExport({ config: d.config, collection: 'api1/rw-alias', allVersions: false, format: 'bundle', output: file }, { stdout: sinks.out, err: sinks.err });
    expect(result.exitCode).toBe(0);
    expect(sinks.out.text).toBe('');
    expect(sinks.err.text).toContain(`to ${file}`);
    expect(idsIn(readFileSync(file, 'utf8'), 'bundle')).toHaveLength(2);
    expect(readdirSync(d.dir).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  test('an output that breaks ends the export with exit 1; an unwritable --output is a usage error', async () => {
    const d = deployment('export-broken');
    await load(d, IDS.rw, Array.from({ length: 30 }, () => indicator()));
    const broken = new Writable({
      write(_chunk, _encoding, callback) {
        const error = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' });
        callback(error);
      },
    });
    const err = new Sink();
    const result = await runExport({ config: d.config, collection: IDS.rw, allVersions: false, format: 'ndjson', pageSize: 5 }, { stdout: broken, err });
    expect(result.exitCode).toBe(1);
    expect(err.text).toContain('export stopped: cannot write the output: write EPIPE');

    const missingDir = path.join(d.dir, 'no', 'such', 'dir', 'out.json');
    const unwritable = await exportText(d, { collection: IDS.rw, output: missingDir });
    expect(unwritable.exitCode).toBe(2);
    expect(unwritable.err).toMatch(/--output .*ENOENT/);
    expect(existsSync(missingDir)).toBe(false);
  });

  test('usage errors exit 2: an unknown collection, a malformed --added-after', async () => {
    const d = deployment('export-usage');
    const unknown = await exportText(d, { collection: 'nope/nothing' });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.err).toContain("no collection 'nope/nothing'");
    const badTime = await exportText(d, { collection: IDS.rw, addedAfter: 'yesterday' });
    expect(badTime.exitCode).toBe(2);
    expect(badTime.err).toContain('--added-after yesterday: not an RFC 3339 UTC timestamp');
  });

  test('the command: repeatable and comma-separated --type, --format, --output', async () => {
    const d = deployment('export-command');
    const objects = [indicator(), malware(), ipv4('198.51.100.3')];
    await load(d, IDS.rw, objects);
    const file = path.join(d.dir, 'out.ndjson');
    let code: number | undefined;
    const program = new Command().exitOverride();
    register(program, (c) => (code = c));
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await program.parseAsync(['node', 'taxiway', 'export', IDS.rw, '--config', d.configFile, '--type', 'indicator,malware', '--type', 'ipv4-addr', '--format', 'ndjson', '-o', file]);
    } finally {
      err.mockRestore();
    }
    expect(code).toBe(0);
    expect(idsIn(readFileSync(file, 'utf8'), 'ndjson')).toEqual(objects.map((o) => o.id));
  });
});

describe('taxiway export → import round trip', () => {
  async function roundTrip(source: Deployment, collectionId: string, format: 'bundle' | 'ndjson'): Promise<void> {
    const file = path.join(source.dir, `export.${format === 'ndjson' ? 'ndjson' : 'json'}`);
    const exported = await runExport({ config: source.config, collection: collectionId, allVersions: true, format, output: file }, { stdout: new Sink(), err: new Sink() });
    expect(exported.exitCode).toBe(0);
    const original = await storedJson(source, collectionId);
    // The file holds the stored texts verbatim.
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(original.join(format === 'ndjson' ? '\n' : ',\n'));

    const target = deployment('round-trip-target');
    const imported = await runImport({ config: target.config, collection: collectionId, files: [file], progress: 'none', validator }, io());
    expect(imported.tally).toMatchObject({ stored: original.length, failed: 0 });
    expect(await storedJson(target, collectionId)).toEqual(original);
    // Same texts, new date_added values: an import adds, it does not restore.
    const [before, after] = await Promise.all([dateAdded(source, collectionId), dateAdded(target, collectionId)]);
    expect(after[0] > before[before.length - 1]).toBe(true);
  }

  async function dateAdded(d: Deployment, collectionId: string): Promise<string[]> {
    return (await storedIn(d, collectionId)).map((o) => o.dateAdded);
  }

  test.each(['bundle', 'ndjson'] as const)('generated objects with several versions and spec versions (%s)', async (format) => {
    const d = deployment('round-trip');
    const id = `indicator--${randomUUID()}`;
    const stix20 = { type: 'indicator', id, created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', labels: ['x'], pattern: "[ipv4-addr:value = '198.51.100.1']", valid_from: '2024-01-01T00:00:00Z' };
    await load(d, IDS.stix20, [stix20, indicator({ id, modified: '2024-03-01T00:00:00.123456Z' }), indicator({ name: 'ünïcödé ☃ \u2028' }), ipv4('198.51.100.1')]);
    await load(d, IDS.stix20, [indicator({ id, modified: '2024-05-01T00:00:00.000Z' })], 'later.json');
    await roundTrip(d, IDS.stix20, format);
  });

  describeWithShared('the MITRE ATT&CK ICS releases', ['corpus/mitre-attack-stix/ics-attack-17.1.json', 'corpus/mitre-attack-stix/ics-attack-18.1.json'], () => {
    test('two releases (several versions per object) come back byte for byte', async () => {
      const d = deployment('round-trip-attack');
      for (const release of ['ics-attack-17.1.json', 'ics-attack-18.1.json']) {
        await runImport({ config: d.config, collection: IDS.rw, files: [path.join(SHARED, 'corpus/mitre-attack-stix', release)], progress: 'none', validator }, io());
      }
      await roundTrip(d, IDS.rw, 'bundle');
    });
  });
});
