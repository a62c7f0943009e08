import request from 'supertest';
import type { Express } from 'express';
import type { Clock } from '../../src/clock';
import { buildApp, type AppDeps } from '../../src/app';
import { buildConfig } from '../../src/config/load';
import type { TaxiwayConfig } from '../../src/config/types';
import { silentLogger } from '../../src/logging';
import { PASSWORDS, testConfigObject } from './config';
export { IDS, PASSWORDS, testConfigObject, testHash } from './config';
import { createStixValidator } from '../../src/stix/validator';
import { createMongoStore } from '../../src/store/mongo';
import { createSqliteStore } from '../../src/store/sqlite';
import { dropDatabases, mongoRequired, mongoUri, printMongoSkipNoticeOnce, testDatabaseName } from './mongo';
import type { Store } from '../../src/store/store';

export interface TestApp {
  app: Express;
  store: Store;
  config: TaxiwayConfig;
  close(): Promise<void>;
}

const sharedValidator = createStixValidator();

export type StoreKind = 'sqlite' | 'mongodb';

/**
 * The stores API tests run against: SQLite always, MongoDB when MONGODB_URI is set. With
 * TAXIWAY_REQUIRE_MONGO=1 and no URI, MongoDB stays in the list so its tests fail loudly.
 */
export function storeKinds(): StoreKind[] {
  if (mongoUri() !== undefined || mongoRequired()) return ['sqlite', 'mongodb'];
  printMongoSkipNoticeOnce();
  return ['sqlite'];
}

export interface TestAppOptions {
  config?: Record<string, unknown>;
  storeKind?: StoreKind;
  clock?: Clock;
  /** Passed to buildApp as they are (the process-wide services a server would share). */
  app?: Pick<AppDeps, 'metrics' | 'metricsText' | 'throttle' | 'auth'>;
}

export async function makeTestStore(kind: StoreKind, clock?: Clock): Promise<{ store: Store; cleanup(): Promise<void> }> {
  if (kind === 'sqlite') {
    const store = createSqliteStore({ path: ':memory:', clock });
    return { store, cleanup: () => store.close() };
  }
  const uri = mongoUri();
  if (uri === undefined) throw new Error('TAXIWAY_REQUIRE_MONGO=1 but MONGODB_URI is not set (did FerretDB fail to build or start?)');
  const database = testDatabaseName('api');
  const store = createMongoStore({ uri, database, connectRetries: { attempts: 3 }, clock });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await dropDatabases(uri, [database]);
    },
  };
}

export async function makeTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = buildConfig(options.config ?? testConfigObject());
  // One clock for the store (date_added, status expiry) and the app (request timestamps).
  const { store, cleanup } = await makeTestStore(options.storeKind ?? 'sqlite', options.clock);
  await store.open();
  const app = buildApp({ config, store, logger: silentLogger(), validator: sharedValidator, clock: options.clock, ...options.app });
  return { app, store, config, close: cleanup };
}

export const TAXII = 'application/taxii+json;version=2.1';

/** A supertest request with the TAXII Accept header and, when a user is given, Basic credentials. */
export function taxiiGet(app: Express, path: string, user?: keyof typeof PASSWORDS): request.Test {
  const r = request(app).get(path).set('Accept', TAXII);
  return user ? r.auth(user, PASSWORDS[user]) : r;
}

export function taxiiPost(app: Express, path: string, body: unknown, user?: keyof typeof PASSWORDS): request.Test {
  const r = request(app).post(path).set('Accept', TAXII).set('Content-Type', TAXII).send(typeof body === 'string' ? body : JSON.stringify(body));
  return user ? r.auth(user, PASSWORDS[user]) : r;
}

export function taxiiDelete(app: Express, path: string, user?: keyof typeof PASSWORDS): request.Test {
  const r = request(app).delete(path).set('Accept', TAXII);
  return user ? r.auth(user, PASSWORDS[user]) : r;
}
