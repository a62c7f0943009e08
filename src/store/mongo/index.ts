import type { Store } from '../store';
import { MongoStore } from './mongo-store';
import type { MongoStoreOptions } from './options';

export type { ConnectRetryOptions, MongoStoreOptions, MongoStoreTestHooks } from './options';
export { redactUri } from './redact';

/** A store over MongoDB (replica set or sharded cluster; FerretDB 1.x for tests). Call `open()`. */
export function createMongoStore(options: MongoStoreOptions): Store {
  return new MongoStore(options);
}
