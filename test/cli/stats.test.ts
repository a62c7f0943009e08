/** `taxiway stats`: per-collection and per-type figures, first/last date_added, store size; table and JSON. */
import { Command } from 'commander';
import { runImport } from '../../src/cli/import';
import { register, runStats } from '../../src/cli/stats';
import { createStixValidator } from '../../src/stix/validator';
import { IDS } from '../support/config';
import { indicator, ipv4, malware } from '../support/stix';
import { deployment, io, openStore, storedObjects, writeInput, type Deployment } from './support';

const validator = createStixValidator();

interface StatsJson {
  store: { type: string; name: string; bytes: number };
  collections: Array<{
    id: string;
    api_root: string;
    alias: string | null;
    title: string;
    objects: number;
    versions: number;
    first_date_added: string | null;
    last_date_added: string | null;
    types: Array<{ type: string; objects: number; versions: number }>;
    added_per_day: Array<{ day: string; versions: number }>;
  }>;
}

/** rw: 3 indicators (one in two versions), 2 malware, 1 ipv4-addr; shared: 1 indicator. */
async function populated(): Promise<Deployment> {
  const d = deployment('stats');
  const twice = indicator({ modified: '2024-01-01T00:00:00.000Z' });
  const objects = [twice, indicator(), indicator(), malware(), malware(), ipv4('198.51.100.20')];
  for (const [name, batch, collection] of [
    ['a.json', objects, IDS.rw],
    ['b.json', [{ ...twice, modified: '2024-02-01T00:00:00.000Z' }], IDS.rw],
    ['c.json', [indicator()], IDS.shared],
  ] as const) {
    await runImport({ config: d.config, collection, files: [writeInput(d.dir, name, 'bundle', batch)], progress: 'none', validator }, io());
  }
  return d;
}

async function statsJson(d: Deployment, collection?: string): Promise<StatsJson> {
  const sinks = io();
  expect(await runStats({ config: d.config, collection, json: true }, sinks)).toBe(0);
  return JSON.parse(sinks.out.text) as StatsJson;
}

describe('taxiway stats', () => {
  test('--json: objects, versions and types per collection, first and last date_added, the store size', async () => {
    const d = await populated();
    const store = await openStore(d.config);
    const dates = (await storedObjects(store, IDS.rw)).map((o) => o.dateAdded);
    await store.close();
    const stats = await statsJson(d);
    expect(stats.store).toEqual({ type: 'sqlite', name: d.config.store.sqlite.path, bytes: expect.any(Number) });
    expect(stats.store.bytes).toBeGreaterThan(0);
    expect(stats.collections.map((c) => c.id)).toEqual(d.config.collections.map((c) => c.id));
    const rw = stats.collections.find((c) => c.id === IDS.rw);
    expect(rw).toMatchObject({
      api_root: 'api1',
      alias: 'rw-alias',
      title: 'Read-write',
      objects: 6,
      versions: 7,
      first_date_added: dates[0],
      last_date_added: dates[6],
      types: [
        { type: 'indicator', objects: 3, versions: 4 },
        { type: 'ipv4-addr', objects: 1, versions: 1 },
        { type: 'malware', objects: 2, versions: 2 },
      ],
    });
    expect(rw?.added_per_day.at(-1)).toEqual({ day: dates[6].slice(0, 10), versions: 7 });
    expect(stats.collections.find((c) => c.id === IDS.shared)).toMatchObject({ objects: 1, versions: 1 });
    expect(stats.collections.find((c) => c.id === IDS.ro)).toMatchObject({ objects: 0, versions: 0, first_date_added: null, last_date_added: null, types: [] });
  });

  test('the table: a row per collection and per type, then the store', async () => {
    const d = await populated();
    const sinks = io();
    expect(await runStats({ config: d.config, collection: 'api1/rw-alias', json: false }, sinks)).toBe(0);
    const lines = sinks.out.text.split('\n');
    expect(lines[0]).toMatch(/^COLLECTION +OBJECTS +VERSIONS +FIRST DATE_ADDED +LAST DATE_ADDED$/);
    expect(lines[1]).toMatch(/^api1\/rw-alias +6 +7 +\d{4}-\d\d-\d\dT[\d:.]+Z +\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    expect(lines.slice(2, 5).map((l) => l.trim().split(/ +/))).toEqual([
      ['indicator', '3', '4'],
      ['ipv4-addr', '1', '1'],
      ['malware', '2', '2'],
    ]);
    // Counts are right-aligned under their headings.
    expect(lines[1].indexOf('7') + 1).toBe(lines[0].indexOf('VERSIONS') + 'VERSIONS'.length);
    expect(lines[6]).toMatch(new RegExp(`^store: sqlite ${d.config.store.sqlite.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, [\\d.]+ (KiB|MiB)$`));
  });

  test('an empty collection shows dashes; an unknown one exits 2', async () => {
    const d = deployment('stats-empty');
    const sinks = io();
    expect(await runStats({ config: d.config, collection: IDS.ro, json: false }, sinks)).toBe(0);
    expect(sinks.out.text.split('\n')[1]).toMatch(new RegExp(`^api1/${IDS.ro} +0 +0 +- +-$`));
    const unknown = io();
    expect(await runStats({ config: d.config, collection: 'api1/missing', json: false }, unknown)).toBe(2);
    expect(unknown.err.text).toContain("no collection 'api1/missing'");
  });

  test('the command', async () => {
    const d = await populated();
    let code: number | undefined;
    let out = '';
    const program = new Command().exitOverride();
    register(program, (c) => (code = c));
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
    try {
      await program.parseAsync(['node', 'taxiway', 'stats', IDS.shared, '--config', d.configFile, '--json']);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    expect((JSON.parse(out) as StatsJson).collections).toEqual([expect.objectContaining({ id: IDS.shared, objects: 1 })]);
  });
});
