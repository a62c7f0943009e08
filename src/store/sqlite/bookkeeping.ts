/**
 * Ownership and the first/last/latest-spec flags of each object's versions, in the embedded store.
 *
 * The flags live on the version rows so the listing indexes can use them; they summarise all
 * versions of an object (its lowest and highest version and highest spec rank). Every change runs
 * inside a write transaction, so the summary before and after a change can be read and the few
 * rows whose flags change updated by key: the cost is a handful of index lookups per object per
 * transaction, whatever the number of versions it already has.
 */
import type { VersionSummary } from '../version-summary';
import type { StatementCache } from './statement-cache';

const SQL = {
  // Every version row carries the object's owner (or none): any one row answers.
  findOwner: 'SELECT owner FROM objects WHERE collection_id = ? AND id = ? LIMIT 1',
  claimOwner: 'UPDATE objects SET owner = ? WHERE collection_id = ? AND id = ? AND owner IS NULL',
  // The first version and the owner in one seek of the (collection, id, version) index.
  firstVersion: 'SELECT version, owner FROM objects WHERE collection_id = ? AND id = ? ORDER BY version LIMIT 1',
  lastVersion: 'SELECT MAX(version) AS version FROM objects WHERE collection_id = ? AND id = ?',
  // The flags are right before a change, so a row flagged latest-spec carries the highest rank.
  flaggedRank: 'SELECT spec_rank AS rank FROM objects WHERE collection_id = ? AND id = ? AND is_latest_spec = 1 LIMIT 1',
  highestRank: 'SELECT MAX(spec_rank) AS rank FROM objects WHERE collection_id = ? AND id = ?',
  setFirst: 'UPDATE objects SET is_first = ? WHERE collection_id = ? AND id = ? AND version = ?',
  setLast: 'UPDATE objects SET is_last = ? WHERE collection_id = ? AND id = ? AND version = ?',
  setLatestSpec: 'UPDATE objects SET is_latest_spec = (spec_rank = ?) WHERE collection_id = ? AND id = ? AND is_latest_spec <> (spec_rank = ?)',
} as const;

/** What the flags of an object's versions are derived from, and who owns it. */
export interface ObjectSummary extends VersionSummary {
  owner?: string;
}

/**
 * The summary of an object's stored versions, or undefined when none is stored. `trustFlags`:
 * the latest-spec flags are known to be right (true before a change; false after a delete).
 */
export function readSummary(statements: StatementCache, collectionId: string, id: string, trustFlags = true): ObjectSummary | undefined {
  const firstRow = statements.get(SQL.firstVersion).get(collectionId, id) as { version: string; owner: string | null } | undefined;
  if (firstRow === undefined) return undefined;
  const last = (statements.get(SQL.lastVersion).get(collectionId, id) as { version: string }).version;
  const rankRow = statements.get(trustFlags ? SQL.flaggedRank : SQL.highestRank).get(collectionId, id) as { rank: number | null } | undefined;
  const rank = rankRow?.rank ?? (statements.get(SQL.highestRank).get(collectionId, id) as { rank: number }).rank;
  const summary: ObjectSummary = { first: firstRow.version, last, rank };
  if (firstRow.owner !== null) summary.owner = firstRow.owner;
  return summary;
}

/**
 * After versions were inserted with flags computed from `after`: takes the flags away from the
 * older rows that held them under `before`.
 */
export function retireFlags(statements: StatementCache, collectionId: string, id: string, before: ObjectSummary, after: ObjectSummary): void {
  if (before.first !== after.first) statements.get(SQL.setFirst).run(0, collectionId, id, before.first);
  if (before.last !== after.last) statements.get(SQL.setLast).run(0, collectionId, id, before.last);
  // The highest spec rank of an object changes rarely (a 2.1 version after 2.0 ones); then every
  // version's flag is rewritten.
  if (before.rank !== after.rank) statements.get(SQL.setLatestSpec).run(after.rank, collectionId, id, after.rank);
}

/**
 * After versions were deleted: gives the flags to the rows that now hold them. Rows that kept
 * their flags were right before and stay right (a deleted row takes its flags with it).
 */
export function inheritFlags(statements: StatementCache, collectionId: string, id: string, before: ObjectSummary, after: ObjectSummary): void {
  if (before.first !== after.first) statements.get(SQL.setFirst).run(1, collectionId, id, after.first);
  if (before.last !== after.last) statements.get(SQL.setLast).run(1, collectionId, id, after.last);
  if (before.rank !== after.rank) statements.get(SQL.setLatestSpec).run(after.rank, collectionId, id, after.rank);
}

/** Recomputes every flag of an object from its stored versions (after deletes and imports). */
export function refreshFlags(statements: StatementCache, collectionId: string, id: string): void {
  const summary = readSummary(statements, collectionId, id, false);
  if (summary === undefined) return;
  statements.get('UPDATE objects SET is_first = (version = ?), is_last = (version = ?) WHERE collection_id = ? AND id = ?').run(summary.first, summary.last, collectionId, id);
  statements.get(SQL.setLatestSpec).run(summary.rank, collectionId, id, summary.rank);
}

export function ownerOf(statements: StatementCache, collectionId: string, id: string): string | undefined {
  return (statements.get(SQL.findOwner).get(collectionId, id) as { owner: string | null } | undefined)?.owner ?? undefined;
}

/**
 * Records an owner on the stored versions of an object nobody owned yet (pushed anonymously or
 * imported without one); versions inserted by the claiming call carry it already.
 */
export function claimOwnership(statements: StatementCache, collectionId: string, id: string, owner: string): void {
  statements.get(SQL.claimOwner).run(owner, collectionId, id);
}
