import { SqliteStore, type SqliteStoreOptions } from './store';

export { SqliteStore, type SqliteStoreOptions } from './store';
export { LATEST_SCHEMA_VERSION } from './schema';
export { SchemaTooNewError } from '../store';

/** The embedded store at `options.path` (`:memory:` for tests). Call `open()` before use. */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(options);
}
