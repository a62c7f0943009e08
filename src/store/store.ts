/**
 * The storage contract every Taxiway store implements (embedded SQLite, MongoDB).
 *
 * Written in TAXII domain terms: no SQL, no HTTP. Every method is asynchronous and every piece of
 * state lives in the database, so several Taxiway processes can share one database. The
 * store-conformance suite in `test/store/` pins down the behaviour; any difference between two
 * stores is a bug.
 *
 * Timestamps (`version`, `dateAdded`) are always canonical six-digit strings (see
 * `src/stix/timestamp.ts`), so comparing them as strings orders them in time.
 */

/** An object ready to be stored: validated, serialised once, its version and digest computed. */
export interface IncomingObject {
  id: string;
  type: string;
  /** STIX spec version, e.g. "2.1" ("2.0" for objects without `spec_version`). */
  specVersion: string;
  /** `modified`, else `created`, else the fixed version for unversioned objects (canonical). */
  version: string;
  /** Media type the object is stored as, e.g. `application/stix+json;version=2.1`. */
  mediaType: string;
  /** The object serialised once at ingest, served verbatim. */
  json: string;
  /**
   * Digest of the object's canonical content (keys sorted, timestamps as instants). Two versions
   * with the same id and version but different digests are a conflict.
   */
  digest: string;
}

/** Who is writing, and whether the ownership rule applies to them. */
export interface Writer {
  /** The authenticated user, or undefined for anonymous writers. */
  user?: string;
  /**
   * When true the writer may add versions of objects first pushed by someone else
   * (collection maintainers, or collections that opted out of ownership).
   */
  bypassOwnership: boolean;
}

export type AddOutcome =
  /** Stored as a new version; `dateAdded` is set. */
  | { kind: 'added'; dateAdded: string }
  /** The same id, version and content were already stored: a success, nothing stored. */
  | { kind: 'duplicate'; dateAdded: string }
  /** The same id and version with other content are stored: a failure, nothing overwritten. */
  | { kind: 'conflict' }
  /** The object id belongs to another user and the writer may not add versions of it. */
  | { kind: 'not-owner'; owner: string };

/** Which versions of each object a query selects (`match[version]`). */
export type VersionSelection =
  | { all: true }
  | { all?: false; first: boolean; last: boolean; exact: readonly string[] };

/** Which spec versions a query selects (`match[spec_version]`). */
export type SpecVersionSelection =
  /** Only the latest spec version stored for each object (the TAXII default). */
  | { latest: true; any?: false }
  | { latest?: false; any?: false; specVersions: readonly string[] }
  /** Every spec version (deletes and exports). */
  | { any: true; latest?: false };

/** The filters of a query; fields are ANDed, values inside a list are ORed. */
export interface ObjectQuery {
  collectionId: string;
  ids?: readonly string[];
  types?: readonly string[];
  versions: VersionSelection;
  specVersions: SpecVersionSelection;
  /**
   * Only versions whose date_added is strictly later than this canonical timestamp: the one lower
   * bound a request has (the HTTP layer combines `added_after` and the `next` position into it).
   */
  after?: string;
}

export interface PageRequest {
  /** Maximum number of records to return; a positive integer. */
  limit: number;
  /**
   * Object pages only: end the page before the stored JSON of its objects passes this many bytes
   * (a page always holds at least one object, whatever its size). `more` is then true.
   */
  maxBytes?: number;
}

export interface Page<T> {
  items: T[];
  /** True when records beyond this page match the query. */
  more: boolean;
}

/** One stored version of one object in one collection. */
export interface StoredVersion {
  id: string;
  type: string;
  specVersion: string;
  version: string;
  dateAdded: string;
  mediaType: string;
}

export interface StoredObject extends StoredVersion {
  json: string;
}

/** What a TAXII envelope needs of a stored version: its text, and its date_added for paging. */
export interface ObjectText {
  dateAdded: string;
  json: string;
}

/** A whole stored version as it is moved between stores (`taxiway copy`). */
export interface ExportedObject extends StoredObject {
  digest: string;
  owner?: string;
}

export type DeleteOutcome =
  /** `count` versions were deleted (at least one). */
  | { kind: 'deleted'; count: number }
  /** No version of the object matches the filters. */
  | { kind: 'not-found' }
  /** Versions match, but the object belongs to another user and the writer may not delete it. */
  | { kind: 'not-owner' };

export interface StatusDetail {
  id: string;
  version: string;
  message?: string;
}

/** A TAXII status resource plus what Taxiway needs to enforce access and retention. */
export interface StatusRecord {
  id: string;
  /** The user who pushed; only they may read the status. Undefined for anonymous pushes. */
  owner?: string;
  apiRoot: string;
  status: 'complete' | 'pending';
  requestTimestamp: string;
  totalCount: number;
  successCount: number;
  failureCount: number;
  pendingCount: number;
  successes: StatusDetail[];
  failures: StatusDetail[];
  pendings: StatusDetail[];
  /** Canonical timestamp after which the status is gone (404). */
  expiresAt: string;
}

/** What a collection holds, for `taxiway stats` and the console. */
export interface CollectionStats {
  /** Objects (distinct ids) and stored versions. */
  objects: number;
  versions: number;
  /** date_added of the oldest and newest stored version; undefined when the collection is empty. */
  firstDateAdded?: string;
  lastDateAdded?: string;
  /** Per STIX type, ascending by type name. */
  byType: Array<{ type: string; objects: number; versions: number }>;
}

/** Versions added on one UTC day (`YYYY-MM-DD`, from date_added). */
export interface DailyCount {
  day: string;
  versions: number;
}

/** Keyset position in a user's statuses, newest first. */
export interface StatusPosition {
  requestTimestamp: string;
  id: string;
}

export interface StoreHealth {
  ok: boolean;
  store: string;
  detail?: string;
}

/** Thrown by a store when its database cannot be reached; the HTTP layer answers 503. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Thrown when opening a database written by a newer Taxiway (a higher schema version than this
 * release knows): writing to it could corrupt what the newer release stored.
 */
export class SchemaTooNewError extends Error {
  constructor(database: string, found: number, supported: number) {
    super(
      `${database} database schema version ${found} is newer than this Taxiway supports (${supported}); ` +
        'upgrade Taxiway or point it at another database',
    );
    this.name = 'SchemaTooNewError';
  }
}

export interface Store {
  /** Creates or migrates the schema, connects, and starts the store's own upkeep (status expiry). Idempotent. */
  open(): Promise<void>;
  close(): Promise<void>;
  health(): Promise<StoreHealth>;

  /**
   * Adds objects to a collection, one outcome per object in input order. Each object is handled
   * on its own (one failure does not stop the rest). `date_added` values are assigned by the
   * store, strictly increasing within the collection, in the order the objects are given.
   */
  addObjects(collectionId: string, objects: readonly IncomingObject[], writer: Writer): Promise<AddOutcome[]>;

  /** Objects matching a query, ascending by date_added. */
  queryObjects(query: ObjectQuery, page: PageRequest): Promise<Page<StoredObject>>;
  /**
   * The same page as `queryObjects` with only the stored texts and their date_added: what every
   * TAXII poll needs, read without building the other fields (the hot path of a busy server).
   */
  queryObjectTexts(query: ObjectQuery, page: PageRequest): Promise<Page<ObjectText>>;
  /** The same selection as `queryObjects`, without the object bodies (manifest, versions). */
  queryVersions(query: ObjectQuery, page: PageRequest): Promise<Page<StoredVersion>>;

  /** True when at least one version of the object is stored in the collection. */
  hasObject(collectionId: string, id: string): Promise<boolean>;
  /** The user who first pushed the object id to the collection, if any. */
  getOwner(collectionId: string, id: string): Promise<string | undefined>;

  /**
   * Deletes the versions of one object selected by version and spec-version filters
   * (`{all: true}` and all spec versions for a plain DELETE). Ownership is decided here, in the
   * same step as the delete: a writer without `bypassOwnership` never removes a version of an
   * object another user owns, even when it races that user's push. The first/last bookkeeping of
   * the remaining versions is kept correct.
   */
  deleteObject(
    collectionId: string,
    id: string,
    versions: VersionSelection,
    specVersions: SpecVersionSelection,
    writer: Writer,
  ): Promise<DeleteOutcome>;

  saveStatus(status: StatusRecord): Promise<void>;
  /** A status by id, or undefined when unknown or expired (by the store's clock). */
  getStatus(id: string): Promise<StatusRecord | undefined>;
  /**
   * Removes statuses expired by the store's clock; returns how many. The store runs this itself
   * while it is open; it is public for tests and operators' tools.
   */
  purgeExpiredStatuses(): Promise<number>;
  /**
   * A user's statuses that have not expired, newest first (by request timestamp, then id), after
   * `before` when given.
   */
  listStatuses(owner: string, page: { limit: number; before?: StatusPosition }): Promise<StatusRecord[]>;

  /** Counts over a whole collection. May read every index entry of the collection: callers cache it. */
  collectionStats(collectionId: string): Promise<CollectionStats>;
  /** Versions added per UTC day since `since` (canonical timestamp), ascending; days without adds are omitted. */
  addedPerDay(collectionId: string, since: string): Promise<DailyCount[]>;
  /** Bytes the store occupies (data and indexes), when the database can tell. */
  storageBytes(): Promise<number | undefined>;
}

/** Moving whole deployments between stores (`taxiway copy`): every version as it is stored. */
export interface StoreTransfer {
  /** Ids of the collections that hold at least one object. */
  listCollectionIds(): Promise<string[]>;
  /** Every stored version of a collection with its digest and owner, ascending by date_added. */
  exportObjects(collectionId: string, page: { after?: string; limit: number }): Promise<Page<ExportedObject>>;
  /**
   * Stores versions exactly as exported (date_added, owner kept). Versions already present are
   * skipped, so an interrupted copy can be resumed.
   */
  importObjects(collectionId: string, objects: readonly ExportedObject[]): Promise<void>;
  /** Statuses ordered by id, after the given id. */
  exportStatuses(afterId: string | undefined, limit: number): Promise<StatusRecord[]>;
}
