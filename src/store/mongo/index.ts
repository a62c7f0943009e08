import { MongoStore } from './store';
import type { MongoStoreOptions } from './options';

export { MongoStore } from './store';
export type { ConnectRetryOptions, MongoStoreOptions, MongoStoreTestHooks } from './options';
export { LATEST_SCHEMA_VERSION } from './migrations';
export { SchemaTooNewError } from '../store';
export { redactUri } from './redact';

/** A store over MongoDB (replica set or sharded cluster; FerretDB 1.x for tests). Call `open()`. */
export function createMongoStore(options: MongoStoreOptions): MongoStore {
  return new MongoStore(options);
}
