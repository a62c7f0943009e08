/**
 * Adding and deleting versions in the embedded store. Each call is one write transaction
 * (IMMEDIATE: it takes SQLite's write lock first, so no other connection or process can hand out
 * a date_added between our read of the collection clock and our commit).
 *
 * Adding happens in two passes. The first decides each object's outcome in input order
 * (duplicate, conflict, not-owner, or added with its date_added), reading each object id's
 * summary and owner once. The second writes: the rows, with flags computed from the object's
 * summary after the call and the object's owner, then the few older rows that lose a flag. So the
 * work is a few index lookups per object and per object id, never per version already stored.
 */
import type { Clock } from '../../clock';
import { specVersionRank } from '../spec-rank';
import type { AddOutcome, DeleteOutcome, IncomingObject, SpecVersionSelection, VersionSelection, Writer } from '../store';
import { extendSummary, flagsUnder } from '../version-summary';
import { claimOwnership, inheritFlags, readSummary, retireFlags, type ObjectSummary } from './bookkeeping';
import { DateAddedAllocator } from './date-added';
import { addSpecVersionSelection, addVersionSelection, type SqlFilter } from './query';
import type { StatementCache } from './statement-cache';

const SQL = {
  findVersion: 'SELECT digest, date_added AS dateAdded FROM objects WHERE collection_id = ? AND id = ? AND version = ?',
  insertObject: `INSERT INTO objects
    (collection_id, date_added, id, type, version, spec_version, spec_rank, media_type, digest, is_first, is_last, is_latest_spec, owner, json)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
} as const;

/** What the first pass learnt about one object id. */
interface IdPlan {
  before: ObjectSummary | undefined;
  after: ObjectSummary | undefined;
  owner: string | undefined;
  /** The writer becomes the owner of an object stored without one. */
  claims: boolean;
  /** Indexes of the objects to insert, in input order. */
  inserts: number[];
}

interface StoredVersionFacts {
  digest: string;
  dateAdded: string;
}

export function addVersions(
  statements: StatementCache,
  collectionId: string,
  objects: readonly IncomingObject[],
  writer: Writer,
  clock: Clock,
): AddOutcome[] {
  const dates = new DateAddedAllocator(statements, collectionId, clock);
  const outcomes: AddOutcome[] = [];
  const plans = new Map<string, IdPlan>();
  const dateAddedOf = new Map<number, string>();
  // Versions known in this call (stored before it, or added earlier in it), by id and version.
  const known = new Map<string, StoredVersionFacts>();

  for (let index = 0; index < objects.length; index++) {
    const object = objects[index];
    let plan = plans.get(object.id);
    if (plan === undefined) {
      const before = readSummary(statements, collectionId, object.id);
      plan = { before, after: before, owner: before?.owner, claims: false, inserts: [] };
      plans.set(object.id, plan);
    }
    const versionKey = `${object.id}\u0000${object.version}`;
    let existing = known.get(versionKey);
    if (existing === undefined && plan.before !== undefined) {
      existing = statements.get(SQL.findVersion).get(collectionId, object.id, object.version) as StoredVersionFacts | undefined;
      if (existing !== undefined) known.set(versionKey, existing);
    }
    if (existing !== undefined) {
      outcomes.push(existing.digest === object.digest ? { kind: 'duplicate', dateAdded: existing.dateAdded } : { kind: 'conflict' });
      continue;
    }
    if (plan.owner !== undefined && plan.owner !== writer.user && !writer.bypassOwnership) {
      outcomes.push({ kind: 'not-owner', owner: plan.owner });
      continue;
    }
    if (plan.owner === undefined && writer.user !== undefined) {
      plan.owner = writer.user;
      plan.claims = plan.before !== undefined;
    }
    const dateAdded = dates.next();
    dateAddedOf.set(index, dateAdded);
    known.set(versionKey, { digest: object.digest, dateAdded });
    plan.after = extendSummary(plan.after, object.version, specVersionRank(object.specVersion));
    plan.inserts.push(index);
    outcomes.push({ kind: 'added', dateAdded });
  }

  const insert = statements.get(SQL.insertObject);
  for (const [id, plan] of plans) {
    const after = plan.after;
    if (plan.inserts.length === 0 || after === undefined) continue;
    for (const index of plan.inserts) {
      const object = objects[index];
      const rank = specVersionRank(object.specVersion);
      const flags = flagsUnder(after, object.version, rank);
      insert.run(
        collectionId, dateAddedOf.get(index), object.id, object.type, object.version, object.specVersion, rank,
        object.mediaType, object.digest, Number(flags.first), Number(flags.last), Number(flags.latestSpec),
        plan.owner ?? null, object.json,
      );
    }
    if (plan.before !== undefined) retireFlags(statements, collectionId, id, plan.before, after);
    if (plan.claims && plan.owner !== undefined) claimOwnership(statements, collectionId, id, plan.owner);
  }
  dates.save();
  return outcomes;
}

/** The versions of one object a DELETE selects, as SQL terms. */
function versionsOf(collectionId: string, id: string, versions: VersionSelection, specVersions: SpecVersionSelection): SqlFilter {
  const filter: SqlFilter = { terms: ['collection_id = ?', 'id = ?'], params: [collectionId, id] };
  addVersionSelection(filter, versions);
  addSpecVersionSelection(filter, specVersions);
  return filter;
}

export function deleteVersions(
  statements: StatementCache,
  collectionId: string,
  id: string,
  versions: VersionSelection,
  specVersions: SpecVersionSelection,
  writer: Writer,
): DeleteOutcome {
  const before = readSummary(statements, collectionId, id);
  if (before === undefined) return { kind: 'not-found' };
  const filter = versionsOf(collectionId, id, versions, specVersions);
  const where = filter.terms.join(' AND ');
  const owner = before.owner;
  // Decided in the same transaction as the delete: no push can change the owner in between.
  if (owner !== undefined && owner !== writer.user && !writer.bypassOwnership) {
    const matches = statements.get(`SELECT 1 FROM objects WHERE ${where} LIMIT 1`).get(...filter.params) !== undefined;
    return matches ? { kind: 'not-owner' } : { kind: 'not-found' };
  }
  const count = statements.get(`DELETE FROM objects WHERE ${where}`).run(...filter.params).changes;
  if (count === 0) return { kind: 'not-found' };
  // An object with no version left has no owner either: anyone may push its id again.
  const after = readSummary(statements, collectionId, id, false);
  if (after !== undefined) inheritFlags(statements, collectionId, id, before, after);
  return { kind: 'deleted', count };
}
