/**
 * The MongoDB store's cost per call in commands (each one a round trip, and on a replica set with
 * `majority` writes also a replication wait): a call costs a small constant number of commands,
 * not a number per object. Watched with the driver's command monitoring; fails above the budget.
 */
import type { CommandStartedEvent } from 'mongodb';
import { createMongoStore, type MongoStore } from '../../src/store/mongo';
import type { IncomingObject } from '../../src/store/store';
import { describeWithMongo, mongoTestStoreOptions, useTestDatabases } from '../support/mongo';
import { ALL_VERSIONS, ANY_SPEC, FIRST, alice, bob, everything, makeObject, makeStatus, newCollectionId, query, stixId, v } from './fixtures';

jest.setTimeout(180_000);

/** Commands that are not requests of the store (connection handshakes and session clean-up). */
const NOT_COUNTED = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'saslStart', 'saslContinue']);

describeWithMongo('MongoDB store: commands per call', (uri) => {
  const databases = useTestDatabases(uri, 'commands');
  const stores: MongoStore[] = [];
  const report: string[] = [];

  /** A store whose commands are recorded into `events` (its own database only). */
  async function openStore(database: string, events: CommandStartedEvent[]): Promise<MongoStore> {
    const store = createMongoStore(
      mongoTestStoreOptions(uri, database, {
        clientOptions: { monitorCommands: true },
        testHooks: {
          onClientCreated: (client) =>
            client.on('commandStarted', (event) => {
              if (event.databaseName === database && !NOT_COUNTED.has(event.commandName)) events.push(event);
            }),
        },
      }),
    );
    await store.open();
    stores.push(store);
    return store;
  }

  let store: MongoStore;
  let database: string;
  const events: CommandStartedEvent[] = [];

  beforeAll(async () => {
    database = databases.next();
    store = await openStore(database, events);
  });
  afterAll(async () => {
    await Promise.all(stores.map((opened) => opened.close()));
    process.stderr.write(`MongoDB commands per call:\n${report.join('\n')}\n`);
  });

  /** Runs `work` and returns the commands it sent, by name, recording a line for the report. */
  async function commandsOf<T>(label: string, work: () => Promise<T>): Promise<{ total: number; result: T }> {
    events.length = 0;
    const started = Date.now();
    const result = await work();
    const byName = new Map<string, number>();
    for (const event of events) byName.set(event.commandName, (byName.get(event.commandName) ?? 0) + 1);
    const names = [...byName].map(([name, count]) => `${name} ${count}`).join(', ');
    report.push(`  ${label}: ${events.length} commands (${names}), ${Date.now() - started} ms`);
    return { total: events.length, result };
  }

  const versionsOf = (objects: readonly IncomingObject[], day: number): IncomingObject[] =>
    objects.map((object) => makeObject({ id: object.id, type: object.type, version: v(day) }));

  it('adds 1,000 new objects in at most 20 commands', async () => {
    const c = newCollectionId();
    const objects = Array.from({ length: 1000 }, () => makeObject());
    const { total, result } = await commandsOf('addObjects, 1,000 new objects', () => store.addObjects(c, objects, alice));
    expect(result.every((outcome) => outcome.kind === 'added')).toBe(true);
    expect(total).toBeLessThanOrEqual(20);
  });

  it('adds 100 new versions of existing objects in at most 20 commands, and the flags follow', async () => {
    const c = newCollectionId();
    const objects = Array.from({ length: 100 }, () => makeObject({ version: v(1) }));
    await store.addObjects(c, objects, alice);
    const next = versionsOf(objects, 2);
    const { total, result } = await commandsOf('addObjects, 100 new versions of existing objects', () => store.addObjects(c, next, alice));
    expect(result.every((outcome) => outcome.kind === 'added')).toBe(true);
    expect(total).toBeLessThanOrEqual(20);
    const latest = await store.queryVersions(query(c), { limit: 1000 });
    expect(latest.items.map((item) => item.version)).toEqual(next.map(() => v(2)));
    expect((await store.queryVersions(query(c, { versions: FIRST }), { limit: 1000 })).items.map((item) => item.version)).toEqual(next.map(() => v(1)));
  });

  it('costs about the same for 1,000 versions of one object as for 1,000 objects', async () => {
    const c = newCollectionId();
    const id = stixId('indicator');
    const version = (i: number): string => new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString().replace('Z', '000Z');
    const first = Array.from({ length: 1000 }, (_, i) => makeObject({ id, version: version(i) }));
    const created = await commandsOf('addObjects, 1,000 versions of one new object', () => store.addObjects(c, first, alice));
    expect(created.total).toBeLessThanOrEqual(20);
    const more = Array.from({ length: 1000 }, (_, i) => makeObject({ id, version: version(1000 + i) }));
    const added = await commandsOf('addObjects, 1,000 more versions of that object', () => store.addObjects(c, more, alice));
    expect(added.result.every((outcome) => outcome.kind === 'added')).toBe(true);
    expect(added.total).toBeLessThanOrEqual(20);
    const [last] = (await store.queryVersions(query(c), { limit: 10 })).items;
    expect(last.version).toBe(version(1999));
  });

  it('reports 1,000 duplicates, conflicts and refusals in at most 20 commands', async () => {
    const c = newCollectionId();
    const objects = Array.from({ length: 1000 }, () => makeObject());
    await store.addObjects(c, objects, alice);
    const mixed = objects.map((object, i) =>
      i % 3 === 0 ? object : i % 3 === 1 ? makeObject({ id: object.id, version: object.version, extra: { changed: true } }) : makeObject({ id: object.id, version: v(9) }),
    );
    const { total, result } = await commandsOf('addObjects, 1,000 duplicates, conflicts and not-owner', () => store.addObjects(c, mixed, bob));
    expect(result.map((outcome) => outcome.kind).slice(0, 3)).toEqual(['duplicate', 'conflict', 'not-owner']);
    expect(total).toBeLessThanOrEqual(20);
  });

  describe('pages', () => {
    const c = newCollectionId();
    beforeAll(async () => {
      await store.addObjects(c, Array.from({ length: 300 }, (_, i) => makeObject({ type: i % 2 === 0 ? 'indicator' : 'malware', extra: { padding: 'x'.repeat(500) } })), alice);
    });

    it.each([
      ['objects, the TAXII default', () => store.queryObjects(query(c), { limit: 100 })],
      ['objects ending on their byte budget', () => store.queryObjects(query(c), { limit: 100, maxBytes: 20_000 })],
      ['objects by type, after a date_added', () => store.queryObjects(query(c, { types: ['malware'], after: '2000-01-01T00:00:00.000000Z' }), { limit: 50 })],
      ['manifest, all versions', () => store.queryVersions(everything(c), { limit: 100 })],
      ['export', () => store.exportObjects(c, { limit: 100 })],
    ])('reads a page of %s in at most 5 commands', async (label, read) => {
      const { total, result } = await commandsOf(`page: ${label}`, read);
      expect(result.items.length).toBeGreaterThan(0);
      expect(total).toBeLessThanOrEqual(5);
    });

    it('reads the first page of a freshly started instance in at most 5 commands', async () => {
      const freshEvents: CommandStartedEvent[] = [];
      const fresh = await openStore(database, freshEvents);
      freshEvents.length = 0;
      await fresh.queryObjects(query(c), { limit: 100 });
      report.push(`  page: objects, first read of a new instance: ${freshEvents.length} commands`);
      expect(freshEvents.length).toBeLessThanOrEqual(5);
    });
  });

  it('deletes in a few commands and refuses a non-owner in two', async () => {
    const c = newCollectionId();
    const id = stixId('indicator');
    await store.addObjects(c, [makeObject({ id, version: v(1) }), makeObject({ id, version: v(2) }), makeObject({ id, version: v(3) })], alice);
    const refused = await commandsOf('deleteObject, refused (not owner)', () => store.deleteObject(c, id, ALL_VERSIONS, ANY_SPEC, bob));
    expect(refused.result).toEqual({ kind: 'not-owner' });
    expect(refused.total).toBeLessThanOrEqual(2);
    const some = await commandsOf('deleteObject, one version', () => store.deleteObject(c, id, FIRST, ANY_SPEC, alice));
    expect(some.result).toEqual({ kind: 'deleted', count: 1 });
    expect(some.total).toBeLessThanOrEqual(6);
    const all = await commandsOf('deleteObject, every version', () => store.deleteObject(c, id, ALL_VERSIONS, ANY_SPEC, alice));
    expect(all.result).toEqual({ kind: 'deleted', count: 2 });
    expect(all.total).toBeLessThanOrEqual(6);
  });

  it('saves, reads and lists statuses in one command each', async () => {
    const status = makeStatus({ expiresAt: '2999-01-01T00:00:00.000000Z' });
    expect((await commandsOf('saveStatus', () => store.saveStatus(status))).total).toBe(1);
    expect((await commandsOf('getStatus', () => store.getStatus(status.id))).total).toBe(1);
    expect((await commandsOf('listStatuses', () => store.listStatuses('alice', { limit: 10 }))).total).toBe(1);
  });
});
