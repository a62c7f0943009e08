import type { MongoClient } from 'mongodb';
import type { Logger } from 'winston';
import type { Clock, ElapsedClock } from '../../clock';

/** How `open()` retries the first connection before giving up. */
export interface ConnectRetryOptions {
  /** Connection attempts before `open()` fails (at least 1). */
  attempts: number;
  /** Delay before the second attempt; doubles after every failure. */
  initialDelayMs: number;
  /** Upper bound of the delay between two attempts. */
  maxDelayMs: number;
}

/** Hooks that let tests widen race windows; production code leaves them unset. */
export interface MongoStoreTestHooks {
  /** Awaited just before a new version is inserted (after its date_added is reserved). */
  beforeInsert?: (collectionId: string, objectId: string) => Promise<void>;
  /** Called with the driver client before it connects (to watch the commands the store sends). */
  onClientCreated?: (client: MongoClient) => void;
}

export interface MongoStoreOptions {
  /** Connection string. May contain credentials; they are never logged. */
  uri: string;
  /** Database that holds Taxiway's collections. */
  database: string;
  /** Write concern `w` for every write (default `majority`). */
  writeConcern?: string | number;
  /** Bound on waiting for the write concern, in ms (default 5000), so writes never hang. */
  writeConcernTimeoutMs?: number;
  /**
   * Passed to `MongoClient` as is (TLS, auth, pool sizes...). Overrides Taxiway's defaults, which
   * make operations fail fast (`serverSelectionTimeoutMS: 1000`) when the database is gone.
   */
  clientOptions?: Readonly<Record<string, unknown>>;
  logger?: Logger;
  connectRetries?: Partial<ConnectRetryOptions>;
  /** Source of `date_added` and of "now" for status expiry (tests freeze or rewind it). */
  clock?: Clock;
  /** Elapsed wall time for write leases (tests that freeze `clock` leave this one running). */
  elapsed?: ElapsedClock;
  /**
   * How long a writer's reservation of `date_added` values holds back readers if the writer dies
   * (ms, default 30000). See `docs/mongodb.md`, "Visibility".
   */
  writeLeaseMs?: number;
  testHooks?: MongoStoreTestHooks;
}

export const DEFAULT_CONNECT_RETRIES: ConnectRetryOptions = { attempts: 8, initialDelayMs: 250, maxDelayMs: 5000 };
export const DEFAULT_WRITE_LEASE_MS = 30_000;
export const DEFAULT_WRITE_CONCERN_TIMEOUT_MS = 5_000;
