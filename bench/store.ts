/**
 * Rough figures for the embedded store: bulk inserts, then paging (limit 100) from the start,
 * from near the end, and a full walk, with the default poll filters.
 *
 *   npm run build && node dist/bench/store.js [objectCount] [databasePath]
 *
 * Uses a temporary file unless a path is given; the file is deleted afterwards.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../src/store/sqlite';
import type { IncomingObject, ObjectQuery, Store } from '../src/store/store';

const COLLECTION = 'bench';
const BATCH = 1000;
const PAGE = 100;

function indicator(i: number, id: string = `indicator--${randomUUID()}`, day = 1): IncomingObject {
  const version = `2024-01-${String(day).padStart(2, '0')}T00:00:00.000000Z`;
  const type = i % 4 === 0 ? 'malware' : 'indicator';
  const json = JSON.stringify({
    type,
    spec_version: '2.1',
    id,
    created: version,
    modified: version,
    name: `object ${i}`,
    pattern: `[ipv4-addr:value = '198.51.${(i >> 8) & 255}.${i & 255}']`,
    pattern_type: 'stix',
    valid_from: version,
  });
  return {
    id,
    type,
    specVersion: '2.1',
    version,
    mediaType: 'application/stix+json;version=2.1',
    json,
    digest: createHash('sha256').update(json).digest('hex'),
  };
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const start = process.hrtime.bigint();
  const result = await work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`${label.padEnd(58)} ${ms.toFixed(2).padStart(10)} ms`);
  return result;
}

async function walk(store: Store, q: ObjectQuery): Promise<{ pages: number; items: number }> {
  let pages = 0;
  let items = 0;
  let after: string | undefined;
  for (;;) {
    const page = await store.queryObjects({ ...q, after }, { limit: PAGE });
    pages++;
    items += page.items.length;
    if (!page.more) return { pages, items };
    after = page.items[page.items.length - 1].dateAdded;
  }
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100_000);
  const dir = process.argv[3] === undefined ? mkdtempSync(join(tmpdir(), 'taxiway-bench-')) : undefined;
  const path = process.argv[3] ?? join(dir as string, 'bench.db');
  const store = createSqliteStore({ path });
  await store.open();
  try {
    console.log(`SQLite store at ${path}: ${count} objects, pages of ${PAGE}`);
    const ids: string[] = [];
    await timed(`insert ${count} objects in batches of ${BATCH}`, async () => {
      for (let done = 0; done < count; done += BATCH) {
        const batch = Array.from({ length: Math.min(BATCH, count - done) }, (_, i) => indicator(done + i));
        ids.push(...batch.map((o) => o.id));
        await store.addObjects(COLLECTION, batch, { user: 'bench', bypassOwnership: false });
      }
    });
    await timed('insert 1000 second versions (bookkeeping updates)', async () => {
      const batch = ids.slice(0, BATCH).map((id, i) => indicator(i, id, 2));
      await store.addObjects(COLLECTION, batch, { user: 'bench', bypassOwnership: false });
    });

    const latest: ObjectQuery = { collectionId: COLLECTION, versions: { first: false, last: true, exact: [] }, specVersions: { latest: true } };
    const all = await store.queryVersions({ ...latest, versions: { all: true }, specVersions: { any: true } }, { limit: count + BATCH });
    const nearEnd = all.items[all.items.length - PAGE - 1].dateAdded;

    await timed('first page (default filters)', () => store.queryObjects(latest, { limit: PAGE }));
    await timed('page from near the end (default filters)', () => store.queryObjects({ ...latest, after: nearEnd }, { limit: PAGE }));
        await timed('manifest page from near the end', () => store.queryVersions({ ...latest, after: nearEnd }, { limit: PAGE }));
    await timed('page of one type from near the end', () => store.queryObjects({ ...latest, types: ['malware'], after: nearEnd }, { limit: PAGE }));
    await timed('page of two types from the start', () => store.queryObjects({ ...latest, types: ['malware', 'indicator'] }, { limit: PAGE }));
    await timed('versions of one object', () => store.queryVersions({ ...latest, ids: [ids[0]], versions: { all: true } }, { limit: PAGE }));
    const walked = await timed('walk every page (default filters)', () => walk(store, latest));
    console.log(`  walked ${walked.items} objects in ${walked.pages} pages`);
  } finally {
    await store.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
