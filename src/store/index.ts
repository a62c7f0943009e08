import type winston from 'winston';
import type { Clock, ElapsedClock } from '../clock';
import type { StoreConfig } from '../config/types';
import { createMongoStore } from './mongo';
import { createSqliteStore } from './sqlite';
import type { Store, StoreTransfer } from './store';

export interface StoreOptions {
  /** The clock of date_added and status expiry; the same one the app uses for request timestamps. */
  clock?: Clock;
  /** Elapsed time for write leases (MongoDB); never frozen by tests that freeze `clock`. */
  elapsed?: ElapsedClock;
}

/** Builds the configured store (not yet opened). Every store can also be copied (`taxiway copy`). */
export function createStore(config: StoreConfig, logger: winston.Logger, options: StoreOptions = {}): Store & StoreTransfer {
  switch (config.type) {
    case 'sqlite':
      return createSqliteStore({ path: config.sqlite.path, clock: options.clock, logger });
    case 'mongodb': {
      const m = config.mongodb;
      if (!m?.uri) throw new Error('store.mongodb.uri is required for the mongodb store');
      const clientOptions: Record<string, unknown> = { ...(m.options ?? {}) };
      if (m.tls !== undefined) clientOptions.tls = m.tls;
      if (m.tls_ca_file) clientOptions.tlsCAFile = m.tls_ca_file;
      if (m.tls_certificate_key_file) clientOptions.tlsCertificateKeyFile = m.tls_certificate_key_file;
      if (m.auth_source) clientOptions.authSource = m.auth_source;
      return createMongoStore({ uri: m.uri, database: m.database, writeConcern: m.write_concern, clientOptions, logger, clock: options.clock, elapsed: options.elapsed });
    }
  }
}
