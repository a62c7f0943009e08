/**
 * Versioned schema migrations for the embedded store.
 *
 * `PRAGMA user_version` holds the schema version (read atomically with the file header);
 * `schema_migrations` keeps a human-readable history of what ran when. Migrations are applied in
 * order, each in its own transaction, and are never edited once released: a change to the schema
 * is a new entry at the end of `MIGRATIONS`.
 */
import type Database from 'better-sqlite3';
import { contentDigest } from '../../stix/digest';
import { SchemaTooNewError } from '../store';

export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'objects, owners, collection clocks and statuses',
    up(db) {
      db.exec(`
        -- One row per stored version. The json column comes last so that manifest queries, which
        -- do not select it, never read its overflow pages.
        CREATE TABLE objects (
          collection_id  TEXT    NOT NULL,
          date_added     TEXT    NOT NULL,
          id             TEXT    NOT NULL,
          type           TEXT    NOT NULL,
          version        TEXT    NOT NULL,
          spec_version   TEXT    NOT NULL,
          spec_rank      INTEGER NOT NULL,
          media_type     TEXT    NOT NULL,
          digest         TEXT    NOT NULL,
          is_first       INTEGER NOT NULL DEFAULT 0,
          is_last        INTEGER NOT NULL DEFAULT 0,
          is_latest_spec INTEGER NOT NULL DEFAULT 0,
          json           TEXT    NOT NULL
        );
        -- Paging by date_added (all versions; added_after; next tokens). Unique: date_added is a key.
        CREATE UNIQUE INDEX objects_by_date_added ON objects (collection_id, date_added);
        -- Lookups of one object's versions, and the duplicate/conflict check.
        CREATE UNIQUE INDEX objects_by_id_version ON objects (collection_id, id, version);
        -- match[type] over any version selection.
        CREATE INDEX objects_by_type ON objects (collection_id, type, date_added);
        -- The default poll (latest version, latest spec) only walks current rows.
        CREATE INDEX objects_current ON objects (collection_id, date_added)
          WHERE is_last = 1 AND is_latest_spec = 1;
        CREATE INDEX objects_current_by_type ON objects (collection_id, type, date_added)
          WHERE is_last = 1 AND is_latest_spec = 1;

        -- Who first pushed an object id to a collection (ownership rule).
        CREATE TABLE owners (
          collection_id TEXT NOT NULL,
          object_id     TEXT NOT NULL,
          owner         TEXT NOT NULL,
          PRIMARY KEY (collection_id, object_id)
        ) WITHOUT ROWID;

        -- The last date_added handed out per collection. Kept apart from the objects so that
        -- deleting the newest object never lets a later one reuse (or undercut) its date_added,
        -- which would hide it from clients already paged past that point.
        CREATE TABLE collection_clocks (
          collection_id   TEXT NOT NULL PRIMARY KEY,
          last_date_added TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE statuses (
          id         TEXT NOT NULL PRIMARY KEY,
          expires_at TEXT NOT NULL,
          record     TEXT NOT NULL
        );
        CREATE INDEX statuses_by_expiry ON statuses (expires_at);
      `);
    },
  },
  {
    version: 2,
    description: 'digest v2 (timestamps compared at full precision, every key is data); statuses listable per owner',
    up(db) {
      // Re-digest every stored version, so an identical re-push of old data stays a duplicate.
      // In batches by rowid: better-sqlite3 cannot write while a read is being stepped.
      const read = db.prepare('SELECT rowid, json FROM objects WHERE rowid > ? ORDER BY rowid LIMIT 1000');
      const update = db.prepare('UPDATE objects SET digest = ? WHERE rowid = ?');
      for (let after = 0; ; ) {
        const rows = read.all(after) as Array<{ rowid: number; json: string }>;
        if (rows.length === 0) break;
        for (const row of rows) update.run(contentDigest(JSON.parse(row.json) as Record<string, unknown>), row.rowid);
        after = rows[rows.length - 1].rowid;
      }
      db.exec(`
        ALTER TABLE statuses ADD COLUMN owner TEXT;
        ALTER TABLE statuses ADD COLUMN request_timestamp TEXT NOT NULL DEFAULT '';
        UPDATE statuses SET owner = json_extract(record, '$.owner'), request_timestamp = json_extract(record, '$.requestTimestamp');
        -- "My pushes": a user's statuses, newest first.
        CREATE INDEX statuses_by_owner ON statuses (owner, request_timestamp DESC, id DESC);
      `);
    },
  },
  {
    version: 3,
    description: 'the owner of an object on each of its version rows (the owners table goes)',
    up(db) {
      // A separate owners table cost a random-key B-tree insert for every new object; the owner
      // now travels in the version rows, before json so reading it never touches a big body.
      db.exec(`
        CREATE TABLE objects_v3 (
          collection_id  TEXT    NOT NULL,
          date_added     TEXT    NOT NULL,
          id             TEXT    NOT NULL,
          type           TEXT    NOT NULL,
          version        TEXT    NOT NULL,
          spec_version   TEXT    NOT NULL,
          spec_rank      INTEGER NOT NULL,
          media_type     TEXT    NOT NULL,
          digest         TEXT    NOT NULL,
          is_first       INTEGER NOT NULL DEFAULT 0,
          is_last        INTEGER NOT NULL DEFAULT 0,
          is_latest_spec INTEGER NOT NULL DEFAULT 0,
          owner          TEXT,
          json           TEXT    NOT NULL
        );
        INSERT INTO objects_v3
          SELECT o.collection_id, o.date_added, o.id, o.type, o.version, o.spec_version, o.spec_rank, o.media_type,
                 o.digest, o.is_first, o.is_last, o.is_latest_spec, w.owner, o.json
          FROM objects o LEFT JOIN owners w ON w.collection_id = o.collection_id AND w.object_id = o.id
          ORDER BY o.collection_id, o.date_added;
        DROP TABLE objects;
        DROP TABLE owners;
        ALTER TABLE objects_v3 RENAME TO objects;
        CREATE UNIQUE INDEX objects_by_date_added ON objects (collection_id, date_added);
        CREATE UNIQUE INDEX objects_by_id_version ON objects (collection_id, id, version);
        CREATE INDEX objects_by_type ON objects (collection_id, type, date_added);
        CREATE INDEX objects_current ON objects (collection_id, date_added)
          WHERE is_last = 1 AND is_latest_spec = 1;
        CREATE INDEX objects_current_by_type ON objects (collection_id, type, date_added)
          WHERE is_last = 1 AND is_latest_spec = 1;
      `);
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** The schema version recorded in the database file (0 for a new database). */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database to the latest schema. Safe to call on every start: a database already at
 * the latest version is left untouched, and one written by a newer Taxiway is refused.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  appliedAt: () => string = () => new Date().toISOString(),
): void {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER NOT NULL PRIMARY KEY,
    description TEXT    NOT NULL,
    applied_at  TEXT    NOT NULL
  )`);
  const current = schemaVersion(db);
  if (current > latest) throw new SchemaTooNewError('SQLite', current, latest);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    // IMMEDIATE takes the write lock first, so two processes starting together cannot both run
    // the same migration: the second waits (busy_timeout), then sees the new user_version.
    db.transaction(() => {
      if (schemaVersion(db) >= migration.version) return;
      migration.up(db);
      db.prepare('INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.description,
        appliedAt(),
      );
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
