/** Status resources in the embedded store: one row per status, the record as JSON. */
import type { StatusPosition, StatusRecord } from '../store';
import type { StatementCache } from './statement-cache';

const SQL = {
  save: `INSERT INTO statuses (id, expires_at, owner, request_timestamp, record) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at, owner = excluded.owner,
      request_timestamp = excluded.request_timestamp, record = excluded.record`,
  listNewest: `SELECT record FROM statuses WHERE owner = ? AND expires_at > ?
    ORDER BY request_timestamp DESC, id DESC LIMIT ?`,
  listBefore: `SELECT record FROM statuses WHERE owner = ? AND expires_at > ?
    AND (request_timestamp, id) < (?, ?) ORDER BY request_timestamp DESC, id DESC LIMIT ?`,
  get: 'SELECT record FROM statuses WHERE id = ? AND expires_at > ?',
  purge: 'DELETE FROM statuses WHERE expires_at <= ?',
  exportFromStart: 'SELECT record FROM statuses ORDER BY id LIMIT ?',
  exportAfter: 'SELECT record FROM statuses WHERE id > ? ORDER BY id LIMIT ?',
} as const;

export function saveStatus(statements: StatementCache, status: StatusRecord): void {
  statements.get(SQL.save).run(status.id, status.expiresAt, status.owner ?? null, status.requestTimestamp, JSON.stringify(status));
}

/** A status unless it expired at `now` (canonical timestamp). */
export function getStatus(statements: StatementCache, id: string, now: string): StatusRecord | undefined {
  const row = statements.get(SQL.get).get(id, now) as { record: string } | undefined;
  return row === undefined ? undefined : (JSON.parse(row.record) as StatusRecord);
}

export function purgeStatuses(statements: StatementCache, now: string): number {
  return statements.get(SQL.purge).run(now).changes;
}

export function exportStatuses(statements: StatementCache, afterId: string | undefined, limit: number): StatusRecord[] {
  const rows = (afterId === undefined ? statements.get(SQL.exportFromStart).all(limit) : statements.get(SQL.exportAfter).all(afterId, limit)) as Array<{ record: string }>;
  return rows.map((row) => JSON.parse(row.record) as StatusRecord);
}

/** A user's statuses not expired at `now`, newest first. */
export function listStatuses(statements: StatementCache, owner: string, now: string, page: { limit: number; before?: StatusPosition }): StatusRecord[] {
  const rows = (
    page.before === undefined
      ? statements.get(SQL.listNewest).all(owner, now, page.limit)
      : statements.get(SQL.listBefore).all(owner, now, page.before.requestTimestamp, page.before.id, page.limit)
  ) as Array<{ record: string }>;
  return rows.map((row) => JSON.parse(row.record) as StatusRecord);
}
