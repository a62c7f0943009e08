import { existsSync } from 'node:fs';
import type winston from 'winston';
import { loadConfigFile } from '../config/load';
import { createStore } from '../store';
import type { Store, StoreTransfer } from '../store/store';

/**
 * Opens a store named on the command line: `sqlite:PATH`, a `mongodb://` or `mongodb+srv://`
 * URI (database taken from the URI path, default `taxiway`), or a Taxiway config file (its store).
 */
export async function openStoreSpec(spec: string, logger: winston.Logger): Promise<Store & StoreTransfer> {
  let store: Store & StoreTransfer;
  if (spec.startsWith('sqlite:')) {
    store = createStore({ type: 'sqlite', sqlite: { path: spec.slice('sqlite:'.length) } }, logger);
  } else if (/^mongodb(\+srv)?:\/\//.test(spec)) {
    const database = new URL(spec).pathname.replace(/^\//, '') || 'taxiway';
    store = createStore({ type: 'mongodb', sqlite: { path: '' }, mongodb: { uri: spec, database, write_concern: 'majority' } }, logger);
  } else if (existsSync(spec)) {
    store = createStore(loadConfigFile(spec).store, logger);
  } else {
    throw new Error(`'${spec}' is not sqlite:PATH, a mongodb:// URI, or an existing config file`);
  }
  await store.open();
  return store;
}
