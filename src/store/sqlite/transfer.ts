/** `taxiway copy` for the embedded store: versions exported and imported exactly as stored. */
import { specVersionRank } from '../spec-rank';
import type { ExportedObject, Page } from '../store';
import { claimOwnership, ownerOf, refreshFlags } from './bookkeeping';
import { recordDateAdded } from './date-added';
import { OBJECT_COLUMNS } from './query';
import type { StatementCache } from './statement-cache';

const SQL = {
  findVersion: 'SELECT 1 FROM objects WHERE collection_id = ? AND id = ? AND version = ?',
  insertObject: `INSERT INTO objects
    (collection_id, date_added, id, type, version, spec_version, spec_rank, media_type, digest, owner, json)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  // A recursive skip-scan over the date_added index: one index seek per collection, not per row.
  listCollections: `WITH RECURSIVE collections(id) AS (
      SELECT MIN(collection_id) FROM objects
      UNION ALL
      SELECT (SELECT MIN(collection_id) FROM objects WHERE collection_id > collections.id)
      FROM collections WHERE collections.id IS NOT NULL
    ) SELECT id FROM collections WHERE id IS NOT NULL`,
  exportObjects: `SELECT ${OBJECT_COLUMNS}, digest, owner FROM objects
    WHERE collection_id = ? AND date_added > ? ORDER BY date_added LIMIT ?`,
} as const;

/** Lower than any canonical timestamp: "from the start" in keyset scans. */
const BEFORE_ALL_TIMESTAMPS = '';

export function listCollectionIds(statements: StatementCache): string[] {
  return (statements.get(SQL.listCollections).all() as Array<{ id: string }>).map((row) => row.id);
}

export function exportObjects(statements: StatementCache, collectionId: string, page: { after?: string; limit: number }): Page<ExportedObject> {
  const rows = statements.get(SQL.exportObjects).all(collectionId, page.after ?? BEFORE_ALL_TIMESTAMPS, page.limit + 1) as Array<ExportedObject & { owner: string | null }>;
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit).map(({ owner, ...rest }): ExportedObject => (owner === null ? rest : { ...rest, owner }));
  return { items, more };
}

/** Inserts what is missing, then recomputes the flags of every object touched (one transaction). */
export function importObjects(statements: StatementCache, collectionId: string, objects: readonly ExportedObject[]): void {
  const touched = new Set<string>();
  let latest: string | undefined;
  for (const object of objects) {
    if (statements.get(SQL.findVersion).get(collectionId, object.id, object.version) !== undefined) continue;
    // An object keeps the owner it already has in the target; imported versions join it.
    const owner = ownerOf(statements, collectionId, object.id) ?? object.owner;
    statements
      .get(SQL.insertObject)
      .run(collectionId, object.dateAdded, object.id, object.type, object.version, object.specVersion, specVersionRank(object.specVersion), object.mediaType, object.digest, owner ?? null, object.json);
    if (owner !== undefined) claimOwnership(statements, collectionId, object.id, owner);
    touched.add(object.id);
    if (latest === undefined || object.dateAdded > latest) latest = object.dateAdded;
  }
  for (const id of touched) refreshFlags(statements, collectionId, id);
  // Later pushes must get date_added values after everything imported.
  if (latest !== undefined) recordDateAdded(statements, collectionId, latest);
}
