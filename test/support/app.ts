import request from 'supertest';
import type { Express } from 'express';
import { buildApp } from '../../src/app';
import { buildConfig } from '../../src/config/load';
import type { TaxiwayConfig } from '../../src/config/types';
import { silentLogger } from '../../src/logging';
import { PASSWORDS, testConfigObject } from './config';
export { IDS, PASSWORDS, testConfigObject, testHash } from './config';
import { createStixValidator } from '../../src/stix/validator';
import { createSqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/store';

export interface TestApp {
  app: Express;
  store: Store;
  config: TaxiwayConfig;
  close(): Promise<void>;
}

const sharedValidator = createStixValidator();

export interface TestAppOptions {
  config?: Record<string, unknown>;
  store?: Store;
  clock?: () => bigint;
}

export async function makeTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = buildConfig(options.config ?? testConfigObject());
  const store = options.store ?? createSqliteStore({ path: ':memory:' });
  await store.open();
  const app = buildApp({ config, store, logger: silentLogger(), validator: sharedValidator, clock: options.clock });
  return { app, store, config, close: () => store.close() };
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
