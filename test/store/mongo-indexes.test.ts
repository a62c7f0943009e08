/**
 * Every query the MongoDB store sends names an index that exists (its `hint`), and on servers that
 * answer `explain` in MongoDB's plan format none of them is a collection scan.
 *
 * The store's client is watched with command monitoring while every Store method runs, so a new
 * query without a hint, or with a hint naming a missing index, fails here.
 */
import type { CommandStartedEvent, Document, MongoClient } from 'mongodb';
import { createMongoStore } from '../../src/store/mongo';
import type { Store, StoreTransfer } from '../../src/store/store';
import { describeWithMongo, mongoTestStoreOptions, useTestDatabases } from '../support/mongo';
import { ALL_VERSIONS, ANY_SPEC, FIRST, alice, bob, everything, makeObject, makeStatus, query, stixId, v } from './fixtures';

/** Commands that read or change documents, and where their statements (with hints) are. */
const STATEMENT_FIELDS: Record<string, string | undefined> = {
  find: undefined,
  aggregate: undefined,
  findAndModify: undefined,
  count: undefined,
  update: 'updates',
  delete: 'deletes',
};

interface IssuedQuery {
  command: string;
  collection: string;
  /** The command (for `find`/`findAndModify`/`count`) or one statement of an update/delete. */
  statement: Document;
}

function issuedQueries(events: readonly CommandStartedEvent[]): IssuedQuery[] {
  const queries: IssuedQuery[] = [];
  for (const event of events) {
    if (!(event.commandName in STATEMENT_FIELDS)) continue;
    const collection = String(event.command[event.commandName]);
    const field = STATEMENT_FIELDS[event.commandName];
    const statements = field === undefined ? [event.command] : (event.command[field] as Document[]);
    for (const statement of statements) queries.push({ command: event.commandName, collection, statement });
  }
  return queries;
}

function sameKey(a: Document, b: Document): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every `stage` in a MongoDB query plan tree. */
function planStages(plan: unknown): string[] {
  if (Array.isArray(plan)) return plan.flatMap(planStages);
  if (typeof plan !== 'object' || plan === null) return [];
  const node = plan as Record<string, unknown>;
  const own = typeof node.stage === 'string' ? [node.stage] : [];
  return [...own, ...Object.values(node).flatMap(planStages)];
}

/** The command `explain` runs for one issued query. */
function explainable(query: IssuedQuery): Document {
  const { statement, command, collection } = query;
  if (command === 'update') return { update: collection, updates: [statement] };
  if (command === 'delete') return { delete: collection, deletes: [statement] };
  const copy: Document = {};
  for (const [key, value] of Object.entries(statement)) {
    if (!key.startsWith('$') && key !== 'lsid' && key !== 'txnNumber') copy[key] = value;
  }
  return copy;
}

describeWithMongo('MongoDB store: every query uses a named index', (uri) => {
  const databases = useTestDatabases(uri, 'indexes');
  let client: MongoClient | undefined;
  let store: Store & StoreTransfer;
  let database: string;
  const events: CommandStartedEvent[] = [];

  beforeAll(async () => {
    database = databases.next();
    store = createMongoStore(
      mongoTestStoreOptions(uri, database, {
        clientOptions: { monitorCommands: true },
        testHooks: {
          onClientCreated: (created) => {
            client = created;
            created.on('commandStarted', (event) => {
              if (event.databaseName === database) events.push(event);
            });
          },
        },
      }),
    );
    await store.open();
    await exerciseEveryMethod(store);
  });
  afterAll(async () => {
    await store.close();
  });

  it('sends a hint with every find, aggregate, update and delete', () => {
    const queries = issuedQueries(events);
    // Enough to know the exercise ran: reads, statistics, writes and deletes all appear.
    expect(new Set(queries.map((q) => q.command))).toEqual(new Set(['find', 'aggregate', 'update', 'delete']));
    const withoutHint = queries.filter((q) => q.statement.hint === undefined);
    expect(withoutHint).toEqual([]);
  });

  it('names only indexes that exist', async () => {
    const db = (client as MongoClient).db(database);
    const indexesByCollection = new Map<string, Document[]>();
    const missing: string[] = [];
    for (const query of issuedQueries(events)) {
      if (!indexesByCollection.has(query.collection)) {
        indexesByCollection.set(query.collection, await db.collection(query.collection).listIndexes().toArray());
      }
      const indexes = indexesByCollection.get(query.collection) as Document[];
      const hint = query.statement.hint as string | Document;
      const found = indexes.some((index) => (typeof hint === 'string' ? index.name === hint : sameKey(index.key as Document, hint)));
      if (!found) missing.push(`${query.command} ${query.collection} hint ${JSON.stringify(hint)}`);
    }
    expect(missing).toEqual([]);
  });

  it('finds no collection scan in any plan (where the server explains in MongoDB plan format)', async () => {
    const db = (client as MongoClient).db(database);
    const buildInfo = await db.admin().command({ buildInfo: 1 });
    const scans: string[] = [];
    let mongoFormatPlans = 0;
    const isFerretDb = typeof buildInfo.ferretdbVersion === 'string';
    for (const query of issuedQueries(events)) {
      let explained: Document;
      try {
        explained = await db.command({ explain: explainable(query), verbosity: 'queryPlanner' });
      } catch (error) {
        if (isFerretDb) continue; // FerretDB 1.x explains find, count and aggregate only
        throw error;
      }
      const winningPlan = (explained.queryPlanner as Document | undefined)?.winningPlan;
      if (winningPlan === undefined) continue;
      mongoFormatPlans++;
      const stages = planStages(winningPlan);
      if (stages.includes('COLLSCAN')) scans.push(`${query.command} ${query.collection}: ${JSON.stringify(query.statement)}`);
    }
    if (mongoFormatPlans === 0) {
      // FerretDB 1.x explains with SQLite's plan, and scans for any filter but `_id`; only it may
      // answer without MongoDB plans.
      expect(isFerretDb).toBe(true);
      process.stderr.write(`explain check: ${String(buildInfo.ferretdbVersion)} has no MongoDB query plans; hints checked only\n`);
    }
    expect(scans).toEqual([]);
  });
});

/** Calls every Store method along the paths that issue distinct queries. */
async function exerciseEveryMethod(store: Store & StoreTransfer): Promise<void> {
  const c = 'index-check';
  const id = stixId('indicator');
  const versions = [makeObject({ id, version: v(1) }), makeObject({ id, version: v(2), specVersion: '2.0' }), makeObject({ id, version: v(3) })];
  await store.addObjects(c, [...versions, makeObject({ type: 'malware' })], alice);
  await store.addObjects(c, [versions[0], makeObject({ id, version: v(1), extra: { x: 1 } })], alice); // duplicate, conflict
  await store.addObjects(c, [makeObject({ id, version: v(4) })], bob); // not-owner
  const anonymousId = stixId('tool');
  await store.addObjects(c, [makeObject({ id: anonymousId })], { bypassOwnership: false });
  await store.addObjects(c, [makeObject({ id: anonymousId, version: v(5) })], bob); // first named writer becomes owner
  const page = { limit: 2, maxBytes: 100_000 };
  const after = '2000-01-01T00:00:00.000000Z';
  await store.queryObjects(query(c, { after }), page);
  await store.queryObjects(query(c, { after, versions: FIRST }), page);
  await store.queryObjects(query(c, { after, versions: { first: true, last: true, exact: [v(2)] } }), page);
  await store.queryObjects(query(c, { after, ids: [id] }), page);
  await store.queryObjects(query(c, { types: ['malware'], after: '2001-01-01T00:00:00.000000Z' }), page);
  await store.queryObjects(query(c, { after, specVersions: { specVersions: ['2.0'] } }), page);
  await store.queryVersions(everything(c, { after }), page);
  await store.queryVersions(everything('no-such-collection'), page);
  await store.hasObject(c, id);
  await store.getOwner(c, id);
  await store.deleteObject(c, id, FIRST, ANY_SPEC, bob); // not-owner
  await store.deleteObject(c, id, FIRST, ANY_SPEC, alice);
  await store.deleteObject(c, anonymousId, ALL_VERSIONS, ANY_SPEC, alice);
  await store.collectionStats(c);
  await store.addedPerDay(c, after);
  await store.storageBytes();
  const exported = await store.exportObjects(c, { limit: 100 });
  await store.importObjects('index-check-copy', exported.items);
  await store.importObjects('index-check-copy', exported.items);
  await store.listCollectionIds();
  const status = makeStatus({ id: 'status-1', apiRoot: 'api', expiresAt: '2026-01-02T00:00:00.000000Z' });
  await store.saveStatus(status);
  await store.getStatus(status.id);
  await store.listStatuses('alice', { limit: 10 });
  await store.listStatuses('alice', { limit: 10, before: { requestTimestamp: status.requestTimestamp, id: status.id } });
  await store.exportStatuses(undefined, 10);
  await store.exportStatuses('status-0', 10);
  await store.purgeExpiredStatuses();
}
