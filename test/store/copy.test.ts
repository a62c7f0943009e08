/**
 * `taxiway copy` (runCopy): every version with its date_added, digest and owner, and every
 * status, moved between stores; resumable after an interruption. SQLite → SQLite always; SQLite →
 * MongoDB → SQLite when MONGODB_URI is set.
 */
import { PassThrough } from 'node:stream';
import { runCopy } from '../../src/cli/copy';
import { createMongoStore } from '../../src/store/mongo';
import { createSqliteStore } from '../../src/store/sqlite';
import type { ExportedObject, StatusRecord, Store, StoreTransfer } from '../../src/store/store';

type FullStore = Store & StoreTransfer;
import { describeWithMongo, mongoTestStoreOptions, useTestDatabases } from '../support/mongo';
import { alice, anonymous, bob, everything, makeObject, makeStatus, stixId, v } from './fixtures';

function status(id: string): StatusRecord {
  return makeStatus({ id, expiresAt: '2099-01-01T00:00:00.000000Z' });
}

/** A source with two collections, several versions and spec versions, three owners, three statuses. */
async function populate(store: FullStore): Promise<void> {
  const shared = stixId('indicator');
  await store.addObjects('collection-a', [makeObject({ id: shared, version: v(1) }), makeObject({ type: 'malware' })], alice);
  await store.addObjects('collection-a', [makeObject({ id: shared, version: v(2), specVersion: '2.0' }), makeObject()], alice);
  await store.addObjects('collection-a', [makeObject({ type: 'tool' })], bob);
  await store.addObjects('collection-a', Array.from({ length: 25 }, () => makeObject({ type: 'ipv4-addr' })), anonymous);
  await store.addObjects('collection-b', [makeObject({ id: shared, version: v(3) })], bob);
  for (const id of ['status-1', 'status-2', 'status-3']) await store.saveStatus(status(id));
}

async function exportAll(store: FullStore): Promise<Record<string, ExportedObject[]>> {
  const result: Record<string, ExportedObject[]> = {};
  for (const collectionId of await store.listCollectionIds()) {
    const page = await store.exportObjects(collectionId, { limit: 10_000 });
    expect(page.more).toBe(false);
    result[collectionId] = page.items;
  }
  return result;
}

async function expectSameContent(target: FullStore, source: FullStore): Promise<void> {
  const copied = await exportAll(target);
  expect(copied).toEqual(await exportAll(source));
  expect(Object.values(copied).flat()).toHaveLength(31);
  expect(await target.exportStatuses(undefined, 100)).toEqual(await source.exportStatuses(undefined, 100));
  // Derived state came along too: owners and the latest-version view.
  const latest = await target.queryVersions({ ...everything('collection-a'), versions: { first: false, last: true, exact: [] } }, { limit: 100 });
  expect(latest.items).toHaveLength(29);
}

/** A target that fails after `allowed` imports, like a copy killed halfway. */
function interrupting(target: FullStore, allowed: number): FullStore {
  let imports = 0;
  return new Proxy(target, {
    get(store, property, receiver) {
      if (property === 'importObjects') {
        return async (...args: Parameters<FullStore['importObjects']>) => {
          if (imports++ >= allowed) throw new Error('copy interrupted');
          return store.importObjects(...args);
        };
      }
      const value: unknown = Reflect.get(store, property, receiver);
      return typeof value === 'function' ? value.bind(store) : value;
    },
  });
}

const quiet = (): { progress: false; out: PassThrough; pageSize: number } => ({ progress: false, out: new PassThrough(), pageSize: 10 });

describe('taxiway copy between SQLite stores', () => {
  const opened: FullStore[] = [];
  async function sqlite(): Promise<FullStore> {
    const store = createSqliteStore({ path: ':memory:' });
    await store.open();
    opened.push(store);
    return store;
  }
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('copies every version with date_added, digest and owner, and every status', async () => {
    const [source, target] = [await sqlite(), await sqlite()];
    await populate(source);
    const out = new PassThrough();
    const summary = await runCopy(source, target, { progress: false, out, pageSize: 10 });
    expect(summary).toEqual({ collections: 2, versions: 31, statuses: 3 });
    await expectSameContent(target, source);
    expect(String(out.read())).toMatch(/copied 31 versions in 2 collections and 3 statuses/);
  });

  it('resumes an interrupted copy without duplicates', async () => {
    const [source, target] = [await sqlite(), await sqlite()];
    await populate(source);
    await expect(runCopy(source, interrupting(target, 2), quiet())).rejects.toThrow('copy interrupted');
    expect(Object.values(await exportAll(target)).flat()).toHaveLength(20);
    await runCopy(source, target, quiet());
    await expectSameContent(target, source);
  });

  it('draws a progress bar when asked to', async () => {
    const [source, target] = [await sqlite(), await sqlite()];
    await populate(source);
    const out = new PassThrough();
    await runCopy(source, target, { progress: true, out, pageSize: 10 });
    const text = String(out.read());
    expect(text).toMatch(/collection collection-a \[[=-]+\] 30 copied/);
    expect(text).toMatch(/statuses \[[=-]+\] 3 copied/);
  });
});

describeWithMongo('taxiway copy between SQLite and MongoDB', (uri) => {
  const databases = useTestDatabases(uri, 'copy');
  const opened: FullStore[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
  });
  async function open(store: FullStore): Promise<FullStore> {
    await store.open();
    opened.push(store);
    return store;
  }

  it('moves a populated embedded store into MongoDB and back, keeping every date_added', async () => {
    const sqliteSource = await open(createSqliteStore({ path: ':memory:' }));
    await populate(sqliteSource);
    const mongo = await open(createMongoStore(mongoTestStoreOptions(uri, databases.next())));
    await expect(runCopy(sqliteSource, interrupting(mongo, 1), quiet())).rejects.toThrow('copy interrupted');
    await runCopy(sqliteSource, mongo, quiet());
    await expectSameContent(mongo, sqliteSource);

    // New pushes into the copy come after everything imported.
    const imported = (await exportAll(mongo))['collection-a'].map((item) => item.dateAdded).sort();
    const [pushed] = await mongo.addObjects('collection-a', [makeObject()], alice);
    expect(pushed.kind === 'added' && pushed.dateAdded > (imported.at(-1) as string)).toBe(true);

    const back = await open(createSqliteStore({ path: ':memory:' }));
    await runCopy(mongo, back, quiet());
    expect(await exportAll(back)).toEqual(await exportAll(mongo));
  });
});
