/**
 * Opening a database written by the previous release: version documents gain their owner (which
 * deletes check) and new digests, in batches that resume after a crash, also when several
 * instances open the database at once. A database from a newer release is refused.
 */
import { createHash } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { contentDigest } from '../../src/stix/digest';
import { microsToTimestamp } from '../../src/stix/timestamp';
import { createMongoStore, SchemaTooNewError, type MongoStore } from '../../src/store/mongo';
import { headKey, rangeKey } from '../../src/store/mongo/keys';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, schemaVersion, type Migration } from '../../src/store/mongo/migrations';
import { versionDocument } from '../../src/store/mongo/writer';
import { taxiwayCollections, type DateAddedRangeDocument, type ObjectHeadDocument, type VersionDocument } from '../../src/store/mongo/schema';
import type { IncomingObject } from '../../src/store/store';
import { describeWithMongo, mongoTestStoreOptions, useTestDatabases } from '../support/mongo';
import { ALL_VERSIONS, ANY_SPEC, alice, anonymous, bob, everything, makeObject, newCollectionId, stixId, v } from './fixtures';

jest.setTimeout(120_000);

/** A STIX object as the HTTP layer hands it over now: the digest is the content digest. */
function incoming(fields: Parameters<typeof makeObject>[0] = {}): IncomingObject {
  const object = makeObject(fields);
  return { ...object, digest: contentDigest(JSON.parse(object.json) as Record<string, unknown>) };
}

/** What the previous release stored for an object: no owner field, a digest of the old kind. */
type LegacyDocument = Omit<VersionDocument, 'owner'>;

function legacyDocument(collectionId: string, object: IncomingObject, dateAdded: string): LegacyDocument {
  const oldDigest = createHash('sha256').update(object.json).digest('hex');
  const current = versionDocument(collectionId, { ...object, digest: oldDigest }, dateAdded, null, { isFirst: true, isLast: true, isLatestSpec: true });
  const { owner: _dropped, ...legacy } = current;
  return legacy;
}

interface Legacy {
  collectionId: string;
  owned: IncomingObject[];
  unowned: IncomingObject[];
}

/** A collection as the previous release left it: `count` objects of alice's and two anonymous ones. */
async function writeLegacy(db: Db, count: number): Promise<Legacy> {
  const collectionId = newCollectionId();
  const owned = Array.from({ length: count }, () => incoming());
  const unowned = [incoming({ type: 'ipv4-addr', version: '1970-01-01T00:00:00.000000Z', extra: { value: '198.51.100.7' } }), incoming()];
  const all = [...owned, ...unowned];
  const start = 1_700_000_000_000_000;
  await db.collection<LegacyDocument>('objects').insertMany(all.map((object, i) => legacyDocument(collectionId, object, microsToTimestamp(BigInt(start + i)))));
  await db.collection<ObjectHeadDocument>('object_heads').insertMany([
    ...owned.map((object) => ({ _id: headKey(collectionId, object.id), collectionId, objectId: object.id, owner: 'alice', revision: 3 })),
    ...unowned.map((object) => ({ _id: headKey(collectionId, object.id), collectionId, objectId: object.id, revision: 0 })),
  ]);
  await db.collection<DateAddedRangeDocument>('date_added_ranges').insertOne({ _id: rangeKey(collectionId, 1), collectionId, seq: 1, start, end: start + all.length - 1 });
  return { collectionId, owned, unowned };
}

describeWithMongo('MongoDB store: migrations', (uri) => {
  const databases = useTestDatabases(uri, 'migrations');
  let client: MongoClient;
  const stores: MongoStore[] = [];

  beforeAll(async () => {
    client = new MongoClient(uri);
    await client.connect();
  });
  afterAll(async () => {
    await client.close();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  function store(database: string): MongoStore {
    const created = createMongoStore(mongoTestStoreOptions(uri, database));
    stores.push(created);
    return created;
  }

  async function expectMigrated(db: Db, legacy: Legacy): Promise<void> {
    const documents = await db.collection<VersionDocument>('objects').find({ collectionId: legacy.collectionId }).toArray();
    expect(documents).toHaveLength(legacy.owned.length + legacy.unowned.length);
    const byId = new Map(documents.map((document) => [document.objectId, document]));
    for (const object of legacy.owned) expect(byId.get(object.id)).toMatchObject({ owner: 'alice', digest: object.digest });
    for (const object of legacy.unowned) expect(byId.get(object.id)).toMatchObject({ owner: null, digest: object.digest });
    expect(await schemaVersion(taxiwayCollections(db).schema)).toBe(LATEST_SCHEMA_VERSION);
  }

  it('records owners and new digests on open, after which ownership and duplicates work as for new data', async () => {
    const database = databases.next();
    const db = client.db(database);
    const legacy = await writeLegacy(db, 5);
    const opened = store(database);
    await opened.open();
    await expectMigrated(db, legacy);

    const { collectionId, owned, unowned } = legacy;
    expect(await opened.deleteObject(collectionId, owned[0].id, ALL_VERSIONS, ANY_SPEC, bob)).toEqual({ kind: 'not-owner' });
    expect(await opened.addObjects(collectionId, [owned[1]], bob)).toEqual([{ kind: 'duplicate', dateAdded: expect.any(String) }]);
    expect(await opened.addObjects(collectionId, [incoming({ id: owned[1].id, version: v(9) })], bob)).toEqual([{ kind: 'not-owner', owner: 'alice' }]);
    expect(await opened.deleteObject(collectionId, unowned[1].id, ALL_VERSIONS, ANY_SPEC, bob)).toEqual({ kind: 'deleted', count: 1 });
    const page = await opened.queryVersions(everything(collectionId), { limit: 100 });
    expect(page.items).toHaveLength(6);
  });

  it('leaves documents written by this release alone', async () => {
    const database = databases.next();
    const opened = store(database);
    await opened.open();
    const collectionId = newCollectionId();
    // The fixtures' digests are not content digests: a re-digest would turn this re-push into a conflict.
    const object = makeObject();
    const [added] = await opened.addObjects(collectionId, [object], anonymous);
    await migrate(taxiwayCollections(client.db(database)), { migrations: MIGRATIONS.map((migration) => ({ ...migration, version: migration.version + 100 })) });
    expect(await opened.addObjects(collectionId, [object], alice)).toEqual([{ kind: 'duplicate', dateAdded: (added as { dateAdded: string }).dateAdded }]);
  });

  it('resumes an interrupted migration after the last batch it finished', async () => {
    const database = databases.next();
    const db = client.db(database);
    const legacy = await writeLegacy(db, 9);
    const collections = taxiwayCollections(db);
    const seen: string[] = [];
    const crashing = (crashAfter: number): Migration[] =>
      MIGRATIONS.map((migration) => ({
        ...migration,
        async upgrade(batch, all) {
          if (seen.length >= crashAfter) throw new Error('crash');
          seen.push(...batch.map((document) => document._id as string));
          return migration.upgrade(batch, all);
        },
      }));
    await expect(migrate(collections, { migrations: crashing(4), batchSize: 2 })).rejects.toThrow('crash');
    expect(await schemaVersion(collections.schema)).toBe(0);
    const beforeRestart = seen.length;
    await migrate(collections, { migrations: crashing(Infinity), batchSize: 2 });
    // Nothing finished before the crash is read again.
    expect(seen.length).toBe(11);
    expect(new Set(seen).size).toBe(11);
    expect(beforeRestart).toBe(4);
    await expectMigrated(db, legacy);
  });

  it('lets several instances open a legacy database at once', async () => {
    const database = databases.next();
    const db = client.db(database);
    const legacy = await writeLegacy(db, 30);
    await Promise.all([store(database).open(), store(database).open(), store(database).open()]);
    await expectMigrated(db, legacy);
  });

  it('refuses a database written by a newer Taxiway', async () => {
    const database = databases.next();
    await client.db(database).collection<{ _id: string; version: number }>('taxiway_schema').insertOne({ _id: 'version', version: LATEST_SCHEMA_VERSION + 1 });
    await expect(store(database).open()).rejects.toThrow(SchemaTooNewError);
  });

  it('migrates a database where a head is missing: the versions stay, owned by nobody', async () => {
    const database = databases.next();
    const db = client.db(database);
    const collectionId = newCollectionId();
    const orphan = incoming({ id: stixId('indicator') });
    await db.collection<LegacyDocument>('objects').insertOne(legacyDocument(collectionId, orphan, '2024-01-01T00:00:00.000000Z'));
    await store(database).open();
    expect(await db.collection('objects').findOne({ objectId: orphan.id })).toMatchObject({ owner: null, digest: orphan.digest });
  });
});
