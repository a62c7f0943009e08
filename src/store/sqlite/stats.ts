/**
 * Collection statistics for `taxiway stats` and the console. Counts read index entries only:
 * versions per type from the (collection, type, date_added) index, objects per type from the
 * partial index of current rows (every object has exactly one last version), days from a range
 * of the date_added index.
 */
import type { CollectionStats, DailyCount } from '../store';
import type { StatementCache } from './statement-cache';

const SQL = {
  versionsByType: 'SELECT type, COUNT(*) AS versions FROM objects WHERE collection_id = ? GROUP BY type ORDER BY type',
  objectsByType: 'SELECT type, COUNT(*) AS objects FROM objects WHERE collection_id = ? AND is_last = 1 GROUP BY type ORDER BY type',
  firstDateAdded: 'SELECT MIN(date_added) AS dateAdded FROM objects WHERE collection_id = ?',
  lastDateAdded: 'SELECT MAX(date_added) AS dateAdded FROM objects WHERE collection_id = ?',
  perDay: `SELECT substr(date_added, 1, 10) AS day, COUNT(*) AS versions FROM objects
    WHERE collection_id = ? AND date_added > ? GROUP BY day ORDER BY day`,
  pageCount: 'PRAGMA page_count',
  freePages: 'PRAGMA freelist_count',
  pageSize: 'PRAGMA page_size',
} as const;

export function collectionStats(statements: StatementCache, collectionId: string): CollectionStats {
  const versions = statements.get(SQL.versionsByType).all(collectionId) as Array<{ type: string; versions: number }>;
  const objects = new Map((statements.get(SQL.objectsByType).all(collectionId) as Array<{ type: string; objects: number }>).map((row) => [row.type, row.objects]));
  const byType = versions.map((row) => ({ type: row.type, objects: objects.get(row.type) ?? 0, versions: row.versions }));
  const stats: CollectionStats = {
    objects: byType.reduce((sum, row) => sum + row.objects, 0),
    versions: byType.reduce((sum, row) => sum + row.versions, 0),
    byType,
  };
  const first = (statements.get(SQL.firstDateAdded).get(collectionId) as { dateAdded: string | null }).dateAdded;
  const last = (statements.get(SQL.lastDateAdded).get(collectionId) as { dateAdded: string | null }).dateAdded;
  if (first !== null) stats.firstDateAdded = first;
  if (last !== null) stats.lastDateAdded = last;
  return stats;
}

export function addedPerDay(statements: StatementCache, collectionId: string, since: string): DailyCount[] {
  return statements.get(SQL.perDay).all(collectionId, since) as DailyCount[];
}

/** Bytes in use: pages holding data (free pages, left by deletes and migrations, do not count). */
export function storageBytes(statements: StatementCache): number {
  const pages = statements.get(SQL.pageCount).pluck().get() as number;
  const free = statements.get(SQL.freePages).pluck().get() as number;
  const size = statements.get(SQL.pageSize).pluck().get() as number;
  return (pages - free) * size;
}
