/**
 * The embedded Taxiway store: one SQLite file through better-sqlite3.
 *
 * better-sqlite3 is synchronous; every method runs its work in one synchronous block (so a write
 * transaction is never interleaved with another call in this process) and is exposed as async to
 * fit `Store`. Several processes may share the file (WAL mode; writes serialised by SQLite's
 * write lock; see `date-added.ts` for why date_added stays strictly increasing and commit-ordered).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from 'winston';
import { systemClock, type Clock } from '../../clock';
import { microsToTimestamp } from '../../stix/timestamp';
import {
  StoreUnavailableError,
  type AddOutcome,
  type CollectionStats,
  type DailyCount,
  type DeleteOutcome,
  type ExportedObject,
  type IncomingObject,
  type ObjectQuery,
  type ObjectText,
  type Page,
  type PageRequest,
  type SpecVersionSelection,
  type StatusPosition,
  type StatusRecord,
  type Store,
  type StoreHealth,
  type StoreTransfer,
  type StoredObject,
  type StoredVersion,
  type VersionSelection,
  type Writer,
} from '../store';
import { PeriodicTask, STATUS_PURGE_INTERVAL_MS } from '../upkeep';
import { ownerOf } from './bookkeeping';
import { toStoreError } from './errors';
import { OBJECT_COLUMNS, VERSION_COLUMNS, pageSql, selectPage, selectTexts } from './query';
import { migrate } from './schema';
import { StatementCache } from './statement-cache';
import { addedPerDay, collectionStats, storageBytes } from './stats';
import { exportStatuses, getStatus, listStatuses, purgeStatuses, saveStatus } from './statuses';
import { exportObjects, importObjects, listCollectionIds } from './transfer';
import { addVersions, deleteVersions } from './writer';

export interface SqliteStoreOptions {
  /** Database file, or `:memory:` for a private in-memory database (tests). */
  path: string;
  /** Source of date_added and of "now" for status expiry; tests freeze or rewind it. */
  clock?: Clock;
  /** How long a statement waits for another connection's lock before failing (ms). */
  busyTimeoutMs?: number;
  logger?: Logger;
}

const SQL = {
  hasObject: 'SELECT 1 FROM objects WHERE collection_id = ? AND id = ? LIMIT 1',
} as const;

export class SqliteStore implements Store, StoreTransfer {
  private db: Database.Database | undefined;
  private statements: StatementCache | undefined;
  private readonly clock: Clock;
  private readonly statusPurge: PeriodicTask;

  constructor(private readonly options: SqliteStoreOptions) {
    this.clock = options.clock ?? systemClock;
    this.statusPurge = new PeriodicTask('expired statuses purged', STATUS_PURGE_INTERVAL_MS, () => this.purgeExpiredStatuses(), options.logger);
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
      // 32 MiB of page cache (SQLite's default is 2 MiB): the (collection, id, version) index takes
      // a random-key insert per object, and keeping its pages cached makes ingest several times
      // cheaper on large collections. Counted in the process's resident memory.
      db.pragma('cache_size = -32768');
      if (!this.isInMemory) {
        // WAL lets readers (polls) proceed while a push is writing; NORMAL sync is durable in WAL
        // mode except for the last transactions before a power loss.
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        // Checkpoints (which sync the database file) every 10,000 pages instead of 1,000: bulk
        // ingest spends a quarter of its time less in them, for a WAL file of up to about 40 MB.
        db.pragma('wal_autocheckpoint = 10000');
      }
      migrate(db);
    } catch (error) {
      db?.close();
      throw toStoreError(error);
    }
    this.db = db;
    this.statements = new StatementCache(db);
    this.statusPurge.start();
  }

  async close(): Promise<void> {
    this.statusPurge.stop();
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
    return this.write((statements) => addVersions(statements, collectionId, objects, writer, this.clock));
  }

  async queryObjects(query: ObjectQuery, page: PageRequest): Promise<Page<StoredObject>> {
    return this.run((statements) => selectPage<StoredObject>(statements, OBJECT_COLUMNS, query, page));
  }

  async queryObjectTexts(query: ObjectQuery, page: PageRequest): Promise<Page<ObjectText>> {
    return this.run((statements) => selectTexts(statements, query, page));
  }

  async queryVersions(query: ObjectQuery, page: PageRequest): Promise<Page<StoredVersion>> {
    return this.run((statements) => selectPage<StoredVersion>(statements, VERSION_COLUMNS, query, { limit: page.limit }));
  }

  /** The SQL and the `EXPLAIN QUERY PLAN` lines of an object query (diagnostics and tests). */
  explainQuery(query: ObjectQuery, page: PageRequest): { sql: string; plan: string[] } {
    const { sql, params } = pageSql(OBJECT_COLUMNS, query, page);
    const db = this.requireOpen();
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>;
    return { sql, plan: rows.map((row) => row.detail) };
  }

  async hasObject(collectionId: string, id: string): Promise<boolean> {
    return this.run((statements) => statements.get(SQL.hasObject).get(collectionId, id) !== undefined);
  }

  async getOwner(collectionId: string, id: string): Promise<string | undefined> {
    return this.run((statements) => ownerOf(statements, collectionId, id));
  }

  async deleteObject(collectionId: string, id: string, versions: VersionSelection, specVersions: SpecVersionSelection, writer: Writer): Promise<DeleteOutcome> {
    return this.write((statements) => deleteVersions(statements, collectionId, id, versions, specVersions, writer));
  }

  async saveStatus(status: StatusRecord): Promise<void> {
    this.run((statements) => saveStatus(statements, status));
  }

  async getStatus(id: string): Promise<StatusRecord | undefined> {
    return this.run((statements) => getStatus(statements, id, this.now()));
  }

  async purgeExpiredStatuses(): Promise<number> {
    return this.run((statements) => purgeStatuses(statements, this.now()));
  }

  async listStatuses(owner: string, page: { limit: number; before?: StatusPosition }): Promise<StatusRecord[]> {
    return this.run((statements) => listStatuses(statements, owner, this.now(), page));
  }

  async collectionStats(collectionId: string): Promise<CollectionStats> {
    return this.run((statements) => collectionStats(statements, collectionId));
  }

  async addedPerDay(collectionId: string, since: string): Promise<DailyCount[]> {
    return this.run((statements) => addedPerDay(statements, collectionId, since));
  }

  async storageBytes(): Promise<number | undefined> {
    return this.run((statements) => storageBytes(statements));
  }

  async listCollectionIds(): Promise<string[]> {
    return this.run((statements) => listCollectionIds(statements));
  }

  async exportObjects(collectionId: string, page: { after?: string; limit: number }): Promise<Page<ExportedObject>> {
    return this.run((statements) => exportObjects(statements, collectionId, page));
  }

  async importObjects(collectionId: string, objects: readonly ExportedObject[]): Promise<void> {
    this.write((statements) => importObjects(statements, collectionId, objects));
  }

  async exportStatuses(afterId: string | undefined, limit: number): Promise<StatusRecord[]> {
    return this.run((statements) => exportStatuses(statements, afterId, limit));
  }

  private now(): string {
    return microsToTimestamp(this.clock());
  }

  private requireOpen(): Database.Database {
    if (this.db === undefined) throw new StoreUnavailableError('SQLite store is not open');
    return this.db;
  }

  /** Runs database work, turning lock, I/O and corruption errors into `StoreUnavailableError`. */
  private run<T>(work: (statements: StatementCache) => T): T {
    this.requireOpen();
    try {
      return work(this.statements as StatementCache);
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** Runs work in one IMMEDIATE transaction: the write lock is taken before anything is read. */
  private write<T>(work: (statements: StatementCache) => T): T {
    const db = this.requireOpen();
    return this.run((statements) => db.transaction(() => work(statements)).immediate());
  }
}
