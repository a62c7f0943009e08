/**
 * The embedded Taxiway store: one SQLite file through better-sqlite3, serving one Taxiway process.
 *
 * better-sqlite3 is synchronous; every method runs its work in one synchronous block (so a write
 * transaction is never interleaved with another call) and is exposed as async to fit `Store`.
 * `date_added` is assigned inside the write transaction from a per-collection high-water mark,
 * so commit order is date_added order.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { microsToTimestamp, nowMicros, timestampToMicros } from '../../stix/timestamp';
import {
  StoreUnavailableError,
  type AddOutcome,
  type ExportedObject,
  type IncomingObject,
  type ObjectQuery,
  type Page,
  type PageRequest,
  type SpecVersionSelection,
  type StatusRecord,
  type Store,
  type StoreHealth,
  type StoredObject,
  type StoredVersion,
  type VersionSelection,
  type Writer,
} from '../store';
import { toStoreError } from './errors';
import {
  OBJECT_COLUMNS,
  VERSION_COLUMNS,
  addSpecVersionSelection,
  addVersionSelection,
  pageSql,
  type SqlFilter,
  type SqlValue,
} from './query-sql';
import { migrate } from './schema';
import { specVersionRank } from '../spec-rank';
import { StatementCache } from './statement-cache';

export interface SqliteStoreOptions {
  /** Database file, or `:memory:` for a private in-memory database (tests). */
  path: string;
  /** Microseconds since the epoch; injectable so tests can freeze or rewind time. */
  clock?: () => bigint;
  /** How long a statement waits for another connection's lock before failing (ms). */
  busyTimeoutMs?: number;
}

const SQL = {
  findVersion: 'SELECT digest, date_added AS dateAdded FROM objects WHERE collection_id = ? AND id = ? AND version = ?',
  findOwner: 'SELECT owner FROM owners WHERE collection_id = ? AND object_id = ?',
  insertOwner: 'INSERT OR IGNORE INTO owners (collection_id, object_id, owner) VALUES (?, ?, ?)',
  deleteOwner: 'DELETE FROM owners WHERE collection_id = ? AND object_id = ?',
  insertObject: `INSERT INTO objects
    (collection_id, date_added, id, type, version, spec_version, spec_rank, media_type, digest, json)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  // The three subqueries do not depend on the row, so SQLite evaluates each once per statement.
  refreshBookkeeping: `UPDATE objects SET
      is_first = (version = (SELECT MIN(version) FROM objects WHERE collection_id = :collection AND id = :id)),
      is_last = (version = (SELECT MAX(version) FROM objects WHERE collection_id = :collection AND id = :id)),
      is_latest_spec = (spec_rank = (SELECT MAX(spec_rank) FROM objects WHERE collection_id = :collection AND id = :id))
    WHERE collection_id = :collection AND id = :id`,
  hasObject: 'SELECT 1 FROM objects WHERE collection_id = ? AND id = ? LIMIT 1',
  lastDateAdded: 'SELECT last_date_added AS lastDateAdded FROM collection_clocks WHERE collection_id = ?',
  saveLastDateAdded: `INSERT INTO collection_clocks (collection_id, last_date_added) VALUES (?, ?)
    ON CONFLICT (collection_id) DO UPDATE SET last_date_added = MAX(last_date_added, excluded.last_date_added)`,
  saveStatus: `INSERT INTO statuses (id, expires_at, record) VALUES (?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at, record = excluded.record`,
  getStatus: 'SELECT record FROM statuses WHERE id = ? AND expires_at > ?',
  purgeStatuses: 'DELETE FROM statuses WHERE expires_at <= ?',
  exportStatusesFromStart: 'SELECT record FROM statuses ORDER BY id LIMIT ?',
  exportStatusesAfter: 'SELECT record FROM statuses WHERE id > ? ORDER BY id LIMIT ?',
  // A recursive skip-scan over the date_added index: one index seek per collection, not per row.
  listCollections: `WITH RECURSIVE collections(id) AS (
      SELECT MIN(collection_id) FROM objects
      UNION ALL
      SELECT (SELECT MIN(collection_id) FROM objects WHERE collection_id > collections.id)
      FROM collections WHERE collections.id IS NOT NULL
    ) SELECT id FROM collections WHERE id IS NOT NULL`,
  exportObjects: `SELECT ${OBJECT_COLUMNS}, digest, owner
    FROM objects LEFT JOIN owners ON owners.collection_id = objects.collection_id AND owners.object_id = objects.id
    WHERE objects.collection_id = ? AND date_added > ? ORDER BY date_added LIMIT ?`,
} as const;

interface ExistingVersionRow {
  digest: string;
  dateAdded: string;
}

interface ExportRow extends StoredObject {
  digest: string;
  owner: string | null;
}

/** Lower than any canonical timestamp; used as "from the start" in keyset scans. */
const BEFORE_ALL_TIMESTAMPS = '';

export class SqliteStore implements Store {
  private db: Database.Database | undefined;
  private statements: StatementCache | undefined;
  private readonly clock: () => bigint;

  constructor(private readonly options: SqliteStoreOptions) {
    this.clock = options.clock ?? nowMicros;
  }

  get isInMemory(): boolean {
    return this.options.path === ':memory:' || this.options.path === '';
  }

  async open(): Promise<void> {
    if (this.db !== undefined) return;
    let db: Database.Database | undefined;
    try {
      // A fresh deployment has no data folder yet; create it rather than fail on first start.
      if (!this.isInMemory) mkdirSync(dirname(this.options.path), { recursive: true });
      db = new Database(this.options.path);
      db.pragma(`busy_timeout = ${Math.trunc(this.options.busyTimeoutMs ?? 5000)}`);
      if (!this.isInMemory) {
        // WAL lets readers (polls) proceed while a push is writing; NORMAL sync is durable in WAL
        // mode except for the last transactions before a power loss.
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
      }
      migrate(db);
    } catch (error) {
      db?.close();
      throw toStoreError(error);
    }
    this.db = db;
    this.statements = new StatementCache(db);
  }

  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    this.statements = undefined;
    db?.close();
  }

  async health(): Promise<StoreHealth> {
    if (this.db === undefined) return { ok: false, store: 'sqlite', detail: 'not open' };
    try {
      this.db.prepare('SELECT 1').get();
      return { ok: true, store: 'sqlite' };
    } catch (error) {
      return { ok: false, store: 'sqlite', detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async addObjects(collectionId: string, objects: readonly IncomingObject[], writer: Writer): Promise<AddOutcome[]> {
    return this.run((db, statements) =>
      // IMMEDIATE: take the write lock before reading the collection clock, so no other
      // connection can hand out a date_added between our read and our commit.
      db
        .transaction(() => {
          const dates = new DateAddedAllocator(statements, collectionId, this.clock);
          const outcomes = objects.map((object) => this.addOne(statements, collectionId, object, writer, dates));
          dates.save();
          return outcomes;
        })
        .immediate(),
    );
  }

  private addOne(
    statements: StatementCache,
    collectionId: string,
    object: IncomingObject,
    writer: Writer,
    dates: DateAddedAllocator,
  ): AddOutcome {
    const existing = statements.get(SQL.findVersion).get(collectionId, object.id, object.version) as
      | ExistingVersionRow
      | undefined;
    if (existing !== undefined) {
      return existing.digest === object.digest ? { kind: 'duplicate', dateAdded: existing.dateAdded } : { kind: 'conflict' };
    }
    const owner = this.ownerOf(statements, collectionId, object.id);
    if (owner !== undefined && owner !== writer.user && !writer.bypassOwnership) return { kind: 'not-owner', owner };

    const dateAdded = dates.next();
    insertVersion(statements, collectionId, object, dateAdded);
    if (owner === undefined && writer.user !== undefined) {
      statements.get(SQL.insertOwner).run(collectionId, object.id, writer.user);
    }
    refreshBookkeeping(statements, collectionId, object.id);
    return { kind: 'added', dateAdded };
  }

  async queryObjects(query: ObjectQuery, page: PageRequest): Promise<Page<StoredObject>> {
    return this.run((_db, statements) => selectPage<StoredObject>(statements, OBJECT_COLUMNS, query, page));
  }

  async queryVersions(query: ObjectQuery, page: PageRequest): Promise<Page<StoredVersion>> {
    return this.run((_db, statements) => selectPage<StoredVersion>(statements, VERSION_COLUMNS, query, page));
  }

  /** The SQL and the `EXPLAIN QUERY PLAN` lines of an object query (diagnostics and tests). */
  explainQuery(query: ObjectQuery, page: PageRequest): { sql: string; plan: string[] } {
    const { sql, params } = pageSql(OBJECT_COLUMNS, query, page);
    const db = this.requireOpen();
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>;
    return { sql, plan: rows.map((row) => row.detail) };
  }

  async hasObject(collectionId: string, id: string): Promise<boolean> {
    return this.run((_db, statements) => statements.get(SQL.hasObject).get(collectionId, id) !== undefined);
  }

  async getOwner(collectionId: string, id: string): Promise<string | undefined> {
    return this.run((_db, statements) => this.ownerOf(statements, collectionId, id));
  }

  async deleteObject(
    collectionId: string,
    id: string,
    versions: VersionSelection,
    specVersions: SpecVersionSelection,
  ): Promise<number> {
    return this.run((db, statements) =>
      db
        .transaction(() => {
          const filter: SqlFilter = { terms: ['collection_id = ?', 'id = ?'], params: [collectionId, id] };
          addVersionSelection(filter, versions);
          addSpecVersionSelection(filter, specVersions);
          const deleted = statements.get(`DELETE FROM objects WHERE ${filter.terms.join(' AND ')}`).run(...filter.params).changes;
          if (deleted > 0) {
            if (statements.get(SQL.hasObject).get(collectionId, id) === undefined) {
              statements.get(SQL.deleteOwner).run(collectionId, id);
            } else {
              refreshBookkeeping(statements, collectionId, id);
            }
          }
          return deleted;
        })
        .immediate(),
    );
  }

  async saveStatus(status: StatusRecord): Promise<void> {
    this.run((_db, statements) => {
      statements.get(SQL.saveStatus).run(status.id, status.expiresAt, JSON.stringify(status));
    });
  }

  async getStatus(id: string, now: string): Promise<StatusRecord | undefined> {
    return this.run((_db, statements) => {
      const row = statements.get(SQL.getStatus).get(id, now) as { record: string } | undefined;
      return row === undefined ? undefined : (JSON.parse(row.record) as StatusRecord);
    });
  }

  async purgeExpiredStatuses(now: string): Promise<number> {
    return this.run((_db, statements) => statements.get(SQL.purgeStatuses).run(now).changes);
  }

  async listCollectionIds(): Promise<string[]> {
    return this.run((_db, statements) =>
      (statements.get(SQL.listCollections).all() as Array<{ id: string }>).map((row) => row.id),
    );
  }

  async exportObjects(collectionId: string, page: PageRequest): Promise<Page<ExportedObject>> {
    return this.run((_db, statements) => {
      const rows = statements
        .get(SQL.exportObjects)
        .all(collectionId, page.afterDateAdded ?? BEFORE_ALL_TIMESTAMPS, page.limit + 1) as ExportRow[];
      const more = rows.length > page.limit;
      const items = rows.slice(0, page.limit).map(({ owner, ...rest }) => (owner === null ? rest : { ...rest, owner }));
      return { items, more };
    });
  }

  async importObjects(collectionId: string, objects: readonly ExportedObject[]): Promise<void> {
    this.run((db, statements) =>
      db
        .transaction(() => {
          const touched = new Set<string>();
          let latest: string | undefined;
          for (const object of objects) {
            if (statements.get(SQL.findVersion).get(collectionId, object.id, object.version) !== undefined) continue;
            insertVersion(statements, collectionId, object, object.dateAdded);
            if (object.owner !== undefined) statements.get(SQL.insertOwner).run(collectionId, object.id, object.owner);
            touched.add(object.id);
            if (latest === undefined || object.dateAdded > latest) latest = object.dateAdded;
          }
          for (const id of touched) refreshBookkeeping(statements, collectionId, id);
          // Later pushes must get date_added values after everything imported.
          if (latest !== undefined) statements.get(SQL.saveLastDateAdded).run(collectionId, latest);
        })
        .immediate(),
    );
  }

  async exportStatuses(afterId: string | undefined, limit: number): Promise<StatusRecord[]> {
    return this.run((_db, statements) => {
      const rows = (
        afterId === undefined
          ? statements.get(SQL.exportStatusesFromStart).all(limit)
          : statements.get(SQL.exportStatusesAfter).all(afterId, limit)
      ) as Array<{ record: string }>;
      return rows.map((row) => JSON.parse(row.record) as StatusRecord);
    });
  }

  private ownerOf(statements: StatementCache, collectionId: string, id: string): string | undefined {
    const row = statements.get(SQL.findOwner).get(collectionId, id) as { owner: string } | undefined;
    return row?.owner;
  }

  private requireOpen(): Database.Database {
    if (this.db === undefined) throw new StoreUnavailableError('SQLite store is not open');
    return this.db;
  }

  /** Runs database work, turning lock, I/O and corruption errors into `StoreUnavailableError`. */
  private run<T>(work: (db: Database.Database, statements: StatementCache) => T): T {
    const db = this.requireOpen();
    try {
      return work(db, this.statements as StatementCache);
    } catch (error) {
      throw toStoreError(error);
    }
  }
}

/**
 * Hands out date_added values for one collection within one write transaction:
 * max(now, previous + 1 µs), so they are unique and strictly increasing even when the clock
 * stands still or steps back.
 */
class DateAddedAllocator {
  private last: bigint | undefined;
  private changed = false;

  constructor(
    private readonly statements: StatementCache,
    private readonly collectionId: string,
    private readonly clock: () => bigint,
  ) {
    const row = statements.get(SQL.lastDateAdded).get(collectionId) as { lastDateAdded: string } | undefined;
    this.last = row === undefined ? undefined : timestampToMicros(row.lastDateAdded);
  }

  next(): string {
    const now = this.clock();
    const micros = this.last === undefined || now > this.last ? now : this.last + 1n;
    this.last = micros;
    this.changed = true;
    return microsToTimestamp(micros);
  }

  save(): void {
    if (this.changed && this.last !== undefined) {
      this.statements.get(SQL.saveLastDateAdded).run(this.collectionId, microsToTimestamp(this.last));
    }
  }
}

function insertVersion(
  statements: StatementCache,
  collectionId: string,
  object: IncomingObject | ExportedObject,
  dateAdded: string,
): void {
  statements
    .get(SQL.insertObject)
    .run(
      collectionId,
      dateAdded,
      object.id,
      object.type,
      object.version,
      object.specVersion,
      specVersionRank(object.specVersion),
      object.mediaType,
      object.digest,
      object.json,
    );
}

/** Recomputes which versions of one object are first, last and of the latest spec version. */
function refreshBookkeeping(statements: StatementCache, collectionId: string, id: string): void {
  statements.get(SQL.refreshBookkeeping).run({ collection: collectionId, id });
}

function selectPage<T>(statements: StatementCache, columns: string, query: ObjectQuery, page: PageRequest): Page<T> {
  const { sql, params } = pageSql(columns, query, page);
  const rows = statements.get(sql).all(...(params as SqlValue[])) as T[];
  const more = rows.length > page.limit;
  if (more) rows.length = page.limit;
  return { items: rows, more };
}
