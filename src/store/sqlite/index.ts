import { SqliteStore, type SqliteStoreOptions } from './store';

export { SqliteStore, type SqliteStoreOptions } from './store';
export { SchemaTooNewError, LATEST_SCHEMA_VERSION } from './schema';

/** The embedded store at `options.path` (`:memory:` for tests). Call `open()` before use. */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(options);
}
