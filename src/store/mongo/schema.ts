import type { Collection, Db, Document, IndexDescription } from 'mongodb';
import type { StatusRecord } from '../store';

/**
 * The documents Taxiway keeps in MongoDB and the indexes that serve every query it issues.
 * `docs/mongodb.md` explains each one; every query names its index as a `hint`, so a missing
 * index is an error instead of a silent collection scan.
 */

/** One stored version of one object in one TAXII collection (`objects`). */
export interface VersionDocument {
  /** `versionKey(collectionId, objectId, version)` */
  _id: string;
  collectionId: string;
  objectId: string;
  version: string;
  type: string;
  specVersion: string;
  /** `specVersion` as a number that sorts correctly (see `spec-version.ts`). */
  specVersionRank: number;
  /** Canonical six-digit timestamp; unique within the collection. */
  dateAdded: string;
  mediaType: string;
  /** The object as serialised at ingest, served verbatim. */
  json: string;
  digest: string;
  /** Bookkeeping flags over all versions of (collectionId, objectId); see `bookkeeping.ts`. */
  isFirst: boolean;
  isLast: boolean;
  isLatestSpec: boolean;
}

/** Per (collection, object id): owner and the bookkeeping summary (`object_heads`). */
export interface ObjectHeadDocument {
  /** `headKey(collectionId, objectId)` */
  _id: string;
  collectionId: string;
  objectId: string;
  owner?: string;
  /** Bumped after every change to the object's versions; see `bookkeeping.ts`. */
  revision: number;
}

/**
 * One range of `date_added` values handed to one writer (`date_added_ranges`). Ranges of a
 * collection form a chain numbered 1, 2, 3...; a writer takes the next number by inserting its
 * `_id`, which only one writer can do (see `date-added.ts`).
 */
export interface DateAddedRangeDocument {
  /** `rangeKey(collectionId, seq)` */
  _id: string;
  collectionId: string;
  seq: number;
  /** First and last microsecond of the range. */
  start: number;
  end: number;
}

/** Where the chain of ranges of a collection probably ends (`date_added_counters`). */
export interface DateAddedCounterDocument {
  /** The TAXII collection id. */
  _id: string;
  /** A recent range number; the chain may already be longer. */
  seq: number;
}

/** A writer's promise to commit values from `start` on (`write_leases`); only its writer changes it. */
export interface WriteLeaseDocument {
  /** Random token of the writer's reservation. */
  _id: string;
  collectionId: string;
  /** Smallest `date_added` (µs) the writer may still commit. */
  start: number;
  /** Wall-clock ms after which readers stop waiting for this writer. */
  expiresAtMs: number;
}

/** A status resource (`statuses`); `expireAt` is the same instant as a BSON date for the TTL index. */
export type StatusDocument = Omit<StatusRecord, 'id'> & { _id: string; expireAt: Date };

export const COLLECTIONS = {
  objects: 'objects',
  heads: 'object_heads',
  counters: 'date_added_counters',
  ranges: 'date_added_ranges',
  leases: 'write_leases',
  statuses: 'statuses',
} as const;

/** Index names, used as query hints. */
export const INDEX = {
  id: '_id_',
  /** (collection, id, version), unique: deletes, bookkeeping, hasObject (`_id` serves exact versions). */
  versionUnique: 'objects_version_unique',
  /** (collection, date_added), unique: the keyset for pages without a more selective filter. */
  byDateAdded: 'objects_by_date_added',
  /** match[id] */
  byObjectId: 'objects_by_object_id',
  /** match[type] */
  byType: 'objects_by_type',
  /** match[version]=last (the TAXII default) */
  lastVersions: 'objects_last_versions',
  /** match[version]=first */
  firstVersions: 'objects_first_versions',
  /** old ranges of a collection (pruning) */
  rangesBySeq: 'date_added_ranges_by_seq',
  /** the open leases of a collection (readers' watermark) */
  leasesByCollection: 'write_leases_by_collection',
  statusExpiry: 'statuses_expiry',
  statusTtl: 'statuses_ttl',
} as const;

export const OBJECT_INDEXES: IndexDescription[] = [
  { name: INDEX.versionUnique, key: { collectionId: 1, objectId: 1, version: 1 }, unique: true },
  { name: INDEX.byDateAdded, key: { collectionId: 1, dateAdded: 1 }, unique: true },
  { name: INDEX.byObjectId, key: { collectionId: 1, objectId: 1, dateAdded: 1 } },
  { name: INDEX.byType, key: { collectionId: 1, type: 1, dateAdded: 1 } },
  { name: INDEX.lastVersions, key: { collectionId: 1, isLast: 1, dateAdded: 1 } },
  { name: INDEX.firstVersions, key: { collectionId: 1, isFirst: 1, dateAdded: 1 } },
];

/** The `_id` index's key; `findOneAndUpdate` takes hints only as key patterns. */
export const ID_KEY = { _id: 1 } as const;

export const RANGE_INDEXES: IndexDescription[] = [{ name: INDEX.rangesBySeq, key: { collectionId: 1, seq: 1 } }];

export const LEASE_INDEXES: IndexDescription[] = [{ name: INDEX.leasesByCollection, key: { collectionId: 1 } }];

export const STATUS_INDEXES: IndexDescription[] = [{ name: INDEX.statusExpiry, key: { expiresAt: 1 } }];

/** Deletes a status once `expireAt` has passed, on servers with TTL indexes. */
export const STATUS_TTL_INDEX: IndexDescription = { name: INDEX.statusTtl, key: { expireAt: 1 }, expireAfterSeconds: 0 };

export interface TaxiwayCollections {
  objects: Collection<VersionDocument>;
  heads: Collection<ObjectHeadDocument>;
  counters: Collection<DateAddedCounterDocument>;
  ranges: Collection<DateAddedRangeDocument>;
  leases: Collection<WriteLeaseDocument>;
  statuses: Collection<StatusDocument>;
}

export function taxiwayCollections(db: Db): TaxiwayCollections {
  return {
    objects: db.collection<VersionDocument>(COLLECTIONS.objects),
    heads: db.collection<ObjectHeadDocument>(COLLECTIONS.heads),
    counters: db.collection<DateAddedCounterDocument>(COLLECTIONS.counters),
    ranges: db.collection<DateAddedRangeDocument>(COLLECTIONS.ranges),
    leases: db.collection<WriteLeaseDocument>(COLLECTIONS.leases),
    statuses: db.collection<StatusDocument>(COLLECTIONS.statuses),
  };
}

const NOT_IMPLEMENTED = 238;
const NAMESPACE_NOT_FOUND = 26;

/**
 * Creates every index (idempotent). Returns whether the TTL index exists: FerretDB 1.x answers
 * `NotImplemented` for `expireAfterSeconds`, and the store then purges expired statuses itself.
 */
export async function ensureIndexes(collections: TaxiwayCollections): Promise<{ ttl: boolean }> {
  await createMissingIndexes(collections.objects, OBJECT_INDEXES);
  // object_heads needs only its _id index: every head lookup is by _id (collection and object id).
  await createMissingIndexes(collections.ranges, RANGE_INDEXES);
  await createMissingIndexes(collections.leases, LEASE_INDEXES);
  await createMissingIndexes(collections.statuses, STATUS_INDEXES);
  try {
    await createMissingIndexes(collections.statuses, [STATUS_TTL_INDEX]);
    return { ttl: true };
  } catch (error) {
    if (isNotImplemented(error)) return { ttl: false };
    throw error;
  }
}

/**
 * Creates the indexes a collection lacks, one per command. Re-sending several existing indexes in
 * one `createIndexes` crashes FerretDB 1.24's connection handler, so existing ones are skipped.
 */
async function createMissingIndexes<T extends Document>(collection: Collection<T>, indexes: IndexDescription[]): Promise<void> {
  const existing = new Set((await listIndexNames(collection)) ?? []);
  for (const index of indexes) {
    if (index.name !== undefined && existing.has(index.name)) continue;
    await collection.createIndexes([index]);
  }
}

/** Index names, or undefined when the collection does not exist yet. */
async function listIndexNames<T extends Document>(collection: Collection<T>): Promise<string[] | undefined> {
  try {
    const indexes = await collection.listIndexes().toArray();
    return indexes.map((index) => String(index.name));
  } catch (error) {
    if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === NAMESPACE_NOT_FOUND) return undefined;
    throw error;
  }
}

function isNotImplemented(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === NOT_IMPLEMENTED;
}
