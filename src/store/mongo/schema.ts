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
  /** `specVersion` as a number that sorts correctly (see `../spec-rank.ts`). */
  specVersionRank: number;
  /** Canonical six-digit timestamp; unique within the collection. */
  dateAdded: string;
  mediaType: string;
  /** The object as serialised at ingest, served verbatim. */
  json: string;
  digest: string;
  /**
   * The object's owner when this version was stored or claimed (null: nobody). A delete matches
   * only versions whose owner is the deleting user or nobody, so a version a push stores under its
   * owner's name can never be removed by a racing non-owner. Absent on documents written before
   * schema version 1; the migration fills it in.
   */
  owner: string | null;
  /** Bookkeeping flags over all versions of (collectionId, objectId); see `bookkeeping.ts`. */
  isFirst: boolean;
  isLast: boolean;
  isLatestSpec: boolean;
}

/**
 * Per (collection, object id), from its first push on (`object_heads`). Inserting it is how a push
 * learns whether the object is new; it is never deleted, only its owner is when the last version
 * goes. (Earlier releases kept a `revision` counter here; it is ignored.)
 */
export interface ObjectHeadDocument {
  /** `headKey(collectionId, objectId)` */
  _id: string;
  collectionId: string;
  objectId: string;
  /** The first named user who pushed the object while it had versions. */
  owner?: string;
}

/**
 * One range of `date_added` values handed to one writer (`date_added_ranges`). Ranges of a
 * collection form a chain numbered 1, 2, 3...; a writer takes the next number by inserting its
 * `_id`, which only one writer can do. While the writer is storing versions the range is open
 * (`leaseExpiresAtMs` set): readers serve nothing from its start on (see `date-added.ts`).
 */
export interface DateAddedRangeDocument {
  /** `rangeKey(collectionId, seq)` */
  _id: string;
  collectionId: string;
  seq: number;
  /** First and last microsecond of the range. */
  start: number;
  end: number;
  /** Wall-clock ms after which readers stop waiting for the writer; absent once it is done. */
  leaseExpiresAtMs?: number;
}

/** A status resource (`statuses`); `expireAt` is the same instant as a BSON date for the TTL index. */
export type StatusDocument = Omit<StatusRecord, 'id'> & { _id: string; expireAt: Date };

/**
 * Schema bookkeeping (`taxiway_schema`): `{_id: 'version'}` holds the schema version, and one
 * document per migration records its progress so that an interrupted one resumes.
 */
export interface SchemaDocument {
  _id: string;
  /** On `version`: the schema version every document has reached. */
  version?: number;
  /** On a migration: what it does, the last `_id` it finished, and when it ran. */
  description?: string;
  checkpoint?: string;
  startedAt?: Date;
  finishedAt?: Date;
}

export const COLLECTIONS = {
  objects: 'objects',
  heads: 'object_heads',
  ranges: 'date_added_ranges',
  statuses: 'statuses',
  schema: 'taxiway_schema',
} as const;

/** Index names, used as query hints. */
export const INDEX = {
  id: '_id_',
  /** (collection, id, version), unique: an object's versions (bookkeeping, deletes, hasObject). */
  versionUnique: 'objects_version_unique',
  /** (collection, date_added), unique: the keyset for pages without a more selective filter. */
  byDateAdded: 'objects_by_date_added',
  /** match[id] */
  byObjectId: 'objects_by_object_id',
  /** match[type]; versions per type */
  byType: 'objects_by_type',
  /** match[version]=last (the TAXII default); objects per type */
  lastVersions: 'objects_last_versions',
  /** match[version]=first */
  firstVersions: 'objects_first_versions',
  /** a collection's ranges from the newest back (chain end, watermark, pruning, collection list) */
  rangesBySeq: 'date_added_ranges_by_seq',
  statusExpiry: 'statuses_expiry',
  statusTtl: 'statuses_ttl',
  /** a user's statuses, newest first */
  statusesByOwner: 'statuses_by_owner',
} as const;

export const OBJECT_INDEXES: IndexDescription[] = [
  { name: INDEX.versionUnique, key: { collectionId: 1, objectId: 1, version: 1 }, unique: true },
  { name: INDEX.byDateAdded, key: { collectionId: 1, dateAdded: 1 }, unique: true },
  { name: INDEX.byObjectId, key: { collectionId: 1, objectId: 1, dateAdded: 1 } },
  { name: INDEX.byType, key: { collectionId: 1, type: 1, dateAdded: 1 } },
  { name: INDEX.lastVersions, key: { collectionId: 1, isLast: 1, dateAdded: 1 } },
  { name: INDEX.firstVersions, key: { collectionId: 1, isFirst: 1, dateAdded: 1 } },
];

export const RANGE_INDEXES: IndexDescription[] = [{ name: INDEX.rangesBySeq, key: { collectionId: 1, seq: 1 } }];

export const STATUS_INDEXES: IndexDescription[] = [
  { name: INDEX.statusExpiry, key: { expiresAt: 1 } },
  { name: INDEX.statusesByOwner, key: { owner: 1, requestTimestamp: -1, _id: -1 } },
];

/** Deletes a status once `expireAt` has passed, on servers with TTL indexes. */
export const STATUS_TTL_INDEX: IndexDescription = { name: INDEX.statusTtl, key: { expireAt: 1 }, expireAfterSeconds: 0 };

export interface TaxiwayCollections {
  objects: Collection<VersionDocument>;
  heads: Collection<ObjectHeadDocument>;
  ranges: Collection<DateAddedRangeDocument>;
  statuses: Collection<StatusDocument>;
  schema: Collection<SchemaDocument>;
}

export function taxiwayCollections(db: Db): TaxiwayCollections {
  return {
    objects: db.collection<VersionDocument>(COLLECTIONS.objects),
    heads: db.collection<ObjectHeadDocument>(COLLECTIONS.heads),
    ranges: db.collection<DateAddedRangeDocument>(COLLECTIONS.ranges),
    statuses: db.collection<StatusDocument>(COLLECTIONS.statuses),
    schema: db.collection<SchemaDocument>(COLLECTIONS.schema),
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

export function isNotImplemented(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === NOT_IMPLEMENTED;
}
