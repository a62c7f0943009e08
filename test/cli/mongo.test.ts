/**
 * import, export and stats on the MongoDB store (MONGODB_URI; FerretDB from scripts/ferretdb.sh
 * will do): two thousand objects in two input shapes, a re-run that stores nothing, ownership,
 * an export round trip into a second database, and the stats figures.
 */
import path from 'node:path';
import { runExport } from '../../src/cli/export';
import { runImport } from '../../src/cli/import';
import { runStats } from '../../src/cli/stats';
import { createStixValidator } from '../../src/stix/validator';
import { IDS } from '../support/config';
import { describeWithMongo, useTestDatabases } from '../support/mongo';
import { indicator, malware } from '../support/stix';
import { deployment, io, Sink, storedIn, writeInput, type Deployment } from './support';

const validator = createStixValidator();

describeWithMongo('operator commands on MongoDB', (uri) => {
  const databases = useTestDatabases(uri, 'cli');

  function mongoDeployment(label: string): Deployment {
    return deployment(label, { store: { type: 'mongodb', mongodb: { uri, database: databases.next() } } });
  }

  async function storedJson(d: Deployment, collectionId: string): Promise<string[]> {
    return (await storedIn(d, collectionId)).map((o) => o.json);
  }

  const objects = [...Array.from({ length: 1600 }, (_v, i) => indicator({ name: `n${i}` })), ...Array.from({ length: 400 }, () => malware())];

  test('import (bundle and NDJSON), a re-run, ownership, export round trip and stats', async () => {
    const d = mongoDeployment('source');
    const bundle = writeInput(d.dir, 'half.json', 'bundle', objects.slice(0, 1000));
    const ndjson = writeInput(d.dir, 'half.ndjson', 'ndjson', objects.slice(1000));
    const first = await runImport({ config: d.config, collection: IDS.rw, files: [bundle, ndjson], as: 'alice', progress: 'none', validator }, io());
    expect(first).toMatchObject({ exitCode: 0, tally: { stored: 2000, duplicates: 0, failed: 0 } });
    const again = await runImport({ config: d.config, collection: 'api1/rw-alias', files: [bundle, ndjson], progress: 'none', validator }, io());
    expect(again.tally).toMatchObject({ stored: 0, duplicates: 2000 });
    const stored = await storedJson(d, IDS.rw);
    expect(stored).toEqual(objects.map((o) => JSON.stringify(o)));

    // alice owns them: carol may not add versions.
    const v2 = writeInput(d.dir, 'v2.json', 'array', [{ ...objects[0], modified: '2025-01-01T00:00:00.000Z' }]);
    expect((await runImport({ config: d.config, collection: IDS.rw, files: [v2], as: 'carol', progress: 'none', validator }, io())).tally?.failedByReason).toEqual(new Map([['not-owner', 1]]));

    const exportFile = path.join(d.dir, 'export.ndjson');
    expect((await runExport({ config: d.config, collection: IDS.rw, allVersions: true, format: 'ndjson', output: exportFile, pageSize: 700 }, { stdout: new Sink(), err: new Sink() })).exitCode).toBe(0);
    const target = mongoDeployment('target');
    expect((await runImport({ config: target.config, collection: IDS.rw, files: [exportFile], progress: 'none', validator }, io())).tally).toMatchObject({ stored: 2000 });
    expect(await storedJson(target, IDS.rw)).toEqual(stored);

    const sinks = io();
    expect(await runStats({ config: d.config, collection: IDS.rw, json: true }, sinks)).toBe(0);
    const stats = JSON.parse(sinks.out.text) as { store: { type: string }; collections: Array<{ objects: number; versions: number; types: unknown[] }> };
    expect(stats.store.type).toBe('mongodb');
    expect(stats.collections[0]).toMatchObject({
      objects: 2000,
      versions: 2000,
      types: [
        { type: 'indicator', objects: 1600, versions: 1600 },
        { type: 'malware', objects: 400, versions: 400 },
      ],
    });
  }, 300_000);
});
