/**
 * The embedded SQLite store: the conformance suite on `:memory:` and on a file, then what only
 * SQLite has (migrations, WAL, query plans, reopening files, lock errors).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteStore, LATEST_SCHEMA_VERSION, SchemaTooNewError, type SqliteStore } from '../../src/store/sqlite';
import { contentDigest } from '../../src/stix/digest';
import { MIGRATIONS, migrate, type Migration } from '../../src/store/sqlite/schema';
import { StoreUnavailableError, type ObjectQuery } from '../../src/store/store';
import { describeStoreConformance } from './conformance';
import { ALL_VERSIONS, ANY_SPEC, FIRST, TestClock, alice, everything, makeObject, query, stixId, v } from './fixtures';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'taxiway-sqlite-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describeStoreConformance(
  'sqlite :memory:',
  async () => {
    const clock = new TestClock();
    const store = createSqliteStore({ path: ':memory:', clock: clock.read });
    return { store, clock, cleanup: () => store.close() };
  },
  { controllableClock: true },
);

describeStoreConformance('sqlite file, real clock', async () => {
  const store = createSqliteStore({ path: join(tempDir(), 'nested', 'folder', 'taxiway.db') });
  return { store, cleanup: () => store.close() };
});

describe('SQLite store specifics', () => {
  let store: SqliteStore;
  afterEach(async () => {
    await store?.close();
  });

  describe('files and migrations', () => {
    it('creates the parent folder, uses WAL, and keeps data across reopening', async () => {
      const path = join(tempDir(), 'data', 'sub', 'taxiway.db');
      store = createSqliteStore({ path });
      await store.open();
      const object = makeObject();
      const [outcome] = await store.addObjects('c', [object], alice);
      await store.close();

      const raw = new Database(path, { readonly: true });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      raw.close();

      store = createSqliteStore({ path });
      await store.open();
      await store.open(); // idempotent on an open store
      const page = await store.queryObjects(query('c'), { limit: 10 });
      expect(page.items).toEqual([expect.objectContaining({ id: object.id, json: object.json, dateAdded: (outcome as { dateAdded: string }).dateAdded })]);
      expect(await store.getOwner('c', object.id)).toBe('alice');
    });

    it('applies each migration once, in order, and records it', () => {
      const db = new Database(':memory:');
      const applied: number[] = [];
      const migrations: Migration[] = [1, 2, 3].map((version) => ({
        version,
        description: `step ${version}`,
        up: (d) => {
          applied.push(version);
          d.exec(`CREATE TABLE t${version} (x)`);
        },
      }));
      migrate(db, migrations.slice(0, 2));
      migrate(db, migrations.slice(0, 2));
      migrate(db, migrations);
      expect(applied).toEqual([1, 2, 3]);
      expect(db.pragma('user_version', { simple: true })).toBe(3);
      expect(db.prepare('SELECT version, description FROM schema_migrations ORDER BY version').all()).toEqual([
        { version: 1, description: 'step 1' },
        { version: 2, description: 'step 2' },
        { version: 3, description: 'step 3' },
      ]);
      db.close();
    });

    it('rolls back a failing migration and leaves the version unchanged', () => {
      const db = new Database(':memory:');
      const failing: Migration = {
        version: 1,
        description: 'broken',
        up: (d) => {
          d.exec('CREATE TABLE half_done (x)');
          throw new Error('boom');
        },
      };
      expect(() => migrate(db, [failing])).toThrow('boom');
      expect(db.pragma('user_version', { simple: true })).toBe(0);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
      db.close();
    });

    it('migration 2 re-digests stored versions, so an identical re-push of old data stays a duplicate', async () => {
      const path = join(tempDir(), 'v1.db');
      const old = new Database(path);
      migrate(old, MIGRATIONS.slice(0, 1));
      const object = { type: 'indicator', spec_version: '2.1', id: stixId('indicator'), created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', name: 'old' };
      const json = JSON.stringify(object);
      // A version-1 digest: anything but today's.
      old.prepare(`INSERT INTO objects (collection_id, date_added, id, type, version, spec_version, spec_rank, media_type, digest, is_first, is_last, is_latest_spec, json)
        VALUES ('c', '2024-01-01T00:00:00.000000Z', ?, 'indicator', '2024-01-01T00:00:00.000000Z', '2.1', 2000001, 'application/stix+json;version=2.1', 'v1-digest', 1, 1, 1, ?)`).run(object.id, json);
      old.prepare(`INSERT INTO statuses (id, expires_at, record) VALUES ('s1', '2999-01-01T00:00:00.000000Z', ?)`).run(JSON.stringify({ id: 's1', owner: 'alice', requestTimestamp: '2024-01-01T00:00:00.000000Z' }));
      old.close();
      store = createSqliteStore({ path });
      await store.open();
      const again = makeObject({ id: object.id, version: '2024-01-01T00:00:00.000000Z', json });
      const [outcome] = await store.addObjects('c', [{ ...again, digest: contentDigest(object) }], alice);
      expect(outcome).toEqual({ kind: 'duplicate', dateAdded: '2024-01-01T00:00:00.000000Z' });
      expect((await store.listStatuses('alice', { limit: 10 })).map((s) => s.id)).toEqual(['s1']);
    });

    it('refuses a database written by a newer Taxiway, clearly', async () => {
      const path = join(tempDir(), 'future.db');
      const raw = new Database(path);
      raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
      raw.close();
      store = createSqliteStore({ path });
      await expect(store.open()).rejects.toThrow(SchemaTooNewError);
      await expect(store.open()).rejects.toThrow(/schema version \d+ is newer than this Taxiway supports/);
    });

    it('reports a file that is not a database as unavailable', async () => {
      const path = join(tempDir(), 'garbage.db');
      writeFileSync(path, 'this is not an SQLite database, just text long enough to have a header.'.repeat(20));
      store = createSqliteStore({ path });
      await expect(store.open()).rejects.toThrow(StoreUnavailableError);
    });

    it('reports a store that is not open as unavailable and unhealthy', async () => {
      store = createSqliteStore({ path: ':memory:' });
      expect((await store.health()).ok).toBe(false);
      await expect(store.hasObject('c', stixId('indicator'))).rejects.toThrow(StoreUnavailableError);
    });

    it('reports a database locked by another connection as unavailable', async () => {
      const path = join(tempDir(), 'locked.db');
      store = createSqliteStore({ path, busyTimeoutMs: 50 });
      await store.open();
      const other = new Database(path);
      other.exec('BEGIN IMMEDIATE');
      try {
        await expect(store.addObjects('c', [makeObject()], alice)).rejects.toThrow(StoreUnavailableError);
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      expect((await store.addObjects('c', [makeObject()], alice))[0].kind).toBe('added');
    });
  });

  describe('query plans', () => {
    beforeEach(async () => {
      store = createSqliteStore({ path: ':memory:' });
      await store.open();
      // Two collections of mixed types and versions, so every index has something to choose from.
      const objects = Array.from({ length: 300 }, (_, i) =>
        makeObject({ type: ['indicator', 'malware', 'ipv4-addr'][i % 3], version: v(1 + (i % 5)) }),
      );
      await store.addObjects('c', objects, alice);
      await store.addObjects('d', objects, alice);
    });

    const position = { limit: 100 };
    const after = '2024-01-01T00:00:00.000000Z';
    const plans: Array<[string, ObjectQuery, RegExp]> = [
      ['default poll', query('c'), /USING INDEX objects_current \(collection_id=\? AND date_added>\?\)/],
      ['default poll by one type', query('c', { types: ['indicator'] }), /USING INDEX objects_current_by_type \(collection_id=\? AND type=\? AND date_added>\?\)/],
      ['default poll by two types', query('c', { types: ['indicator', 'malware'] }), /USING INDEX objects_current_by_type \(collection_id=\? AND type=\? AND date_added>\?\)/],
      ['by id', query('c', { ids: [stixId('indicator'), stixId('malware')] }), /USING INDEX objects_by_id_version \(collection_id=\? AND id=\?\)/],
      ['versions of one id', query('c', { ids: [stixId('indicator')], versions: ALL_VERSIONS, specVersions: ANY_SPEC }), /USING INDEX objects_by_id_version \(collection_id=\? AND id=\?\)/],
      ['all versions', everything('c'), /USING INDEX objects_by_date_added \(collection_id=\? AND date_added>\?\)/],
      ['first versions', query('c', { versions: FIRST }), /USING INDEX objects_by_date_added \(collection_id=\? AND date_added>\?\)/],
      ['all versions of one type', everything('c', { types: ['malware'] }), /USING INDEX objects_by_type \(collection_id=\? AND type=\? AND date_added>\?\)/],
      ['added_after', query('c', { after }), /USING INDEX objects_current \(collection_id=\? AND date_added>\?\)/],
    ];

    it.each(plans)('%s is an index range search, never a table scan', (_title, q, expected) => {
      const { plan } = store.explainQuery({ after, ...q }, position);
      const searches = plan.filter((line) => / objects /.test(` ${line} `));
      expect(searches.length).toBeGreaterThan(0);
      for (const line of searches) expect(line).toMatch(/^SEARCH objects USING (COVERING )?INDEX /);
      expect(plan.join('\n')).toMatch(expected);
      expect(plan.join('\n')).not.toMatch(/SCAN objects/);
    });

    it('a multi-type page reads at most limit + 1 rows per type (merged, not sorted whole)', () => {
      const { sql, plan } = store.explainQuery(query('c', { types: ['indicator', 'malware'], after }), position);
      expect(plan).toContain('MERGE (UNION ALL)');
      expect(sql.match(/LIMIT \?/g)).toHaveLength(3);
    });
  });

  describe('concurrency', () => {
    it('keeps date_added unique when many Promise.all adds race, and commits them in order', async () => {
      store = createSqliteStore({ path: join(tempDir(), 'race.db') });
      await store.open();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.addObjects('c', [makeObject({ version: v(1 + (i % 9)) }), makeObject()], alice)),
      );
      const dates = results.flat().map((outcome) => (outcome as { dateAdded: string }).dateAdded);
      expect(new Set(dates).size).toBe(100);
      const stored = await store.queryVersions(everything('c'), { limit: 1000 });
      expect(stored.items.map((item) => item.dateAdded)).toEqual([...dates].sort());
    });

    it('two connections to one file never hand out the same date_added', async () => {
      const path = join(tempDir(), 'shared.db');
      const clock = new TestClock();
      store = createSqliteStore({ path, clock: clock.read });
      const second = createSqliteStore({ path, clock: clock.read });
      await store.open();
      await second.open();
      try {
        const dates: string[] = [];
        for (let i = 0; i < 20; i++) {
          const writer = i % 2 === 0 ? store : second;
          const [outcome] = await writer.addObjects('c', [makeObject()], alice);
          dates.push((outcome as { dateAdded: string }).dateAdded);
        }
        expect(new Set(dates).size).toBe(20);
        expect([...dates].sort()).toEqual(dates);
      } finally {
        await second.close();
      }
    });
  });
});
