/**
 * A Taxiway with the console for tests: the API tests (test/http/console-*.test.ts) and the
 * browser tests share it. The configuration mirrors the example deployment (feeds and reference
 * data) plus a private collection and a vendor, so visibility can be checked from every side.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import request from 'supertest';
import type { LoginThrottle } from '../../src/auth/throttle';
import { systemClock, type Clock } from '../../src/clock';
import { Catalog } from '../../src/config/catalog';
import type { TaxiwayConfig } from '../../src/config/types';
import { consoleRouter, consoleSessionKeys, ValidateLimiter, type ValidateLimits } from '../../src/console';
import { keyRing } from '../../src/console/keys';
import { passwordFingerprint, signSession, type SessionClaims } from '../../src/console/session-token';
import { silentLogger } from '../../src/logging';
import { IngestService } from '../../src/services/ingest';
import { ObjectService } from '../../src/services/objects';
import { createStixValidator } from '../../src/stix/validator';
import type { Store } from '../../src/store/store';
import { makeTestApp, testHash, type StoreKind } from '../support/app';

export const SESSION_KEY = 'console-test-session-key-0123456789abcdefghij';

export const CONSOLE_IDS = {
  indicators: '9ee8a9a8-6d8b-4c0b-8b0e-4b1f1a5a6c01',
  private: '5d1b4a63-2f0c-4f7e-9a51-6c3e8d2b7a10',
  attack: '3c2e7c4a-1f7e-4f2b-9d59-2f1ad07c7b02',
};

export const CONSOLE_PASSWORDS = { dev: 'dev-password', analyst: 'analyst-password', vendor: 'vendor-password' };
export type ConsoleUser = keyof typeof CONSOLE_PASSWORDS;

/**
 * dev publishes to and reads every feed; analyst reads the reference data only; vendor pushes to
 * and reads the shared indicators. Page size 10 so a few dozen objects make several pages.
 */
export function consoleConfigObject(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const p = (users: string[] = [], groups: string[] = []): Record<string, string[]> => ({ users, groups });
  return {
    server: { log_level: 'error' },
    discovery: { title: 'Taxiway (console tests)', default: 'feeds' },
    api_roots: [
      { path: 'feeds', title: 'Threat intelligence feeds', description: 'Indicators and context shared by partner organisations.', default_page_size: 10, max_page_size: 10 },
      { path: 'reference', title: 'Reference data', description: 'Read-only reference knowledge.' },
    ],
    collections: [
      { id: CONSOLE_IDS.indicators, api_root: 'feeds', alias: 'shared-indicators', title: 'Shared indicators', description: 'Indicators pushed by partners.', maintainers: p(['dev']), permissions: { read: p(['vendor'], ['publishers']), write: p(['vendor'], ['publishers']) } },
      { id: CONSOLE_IDS.private, api_root: 'feeds', alias: 'partner-private', title: 'Partner private', description: 'Only for publishers.', permissions: { read: p([], ['publishers']), write: p([], ['publishers']) } },
      { id: CONSOLE_IDS.attack, api_root: 'reference', alias: 'attack', title: 'MITRE ATT&CK (reference)', validation: 'permissive', permissions: { read: p([], ['$authenticated']), write: p(['dev']) } },
    ],
    users: [
      { name: 'dev', password_hash: testHash(CONSOLE_PASSWORDS.dev), groups: ['publishers'] },
      { name: 'analyst', password_hash: testHash(CONSOLE_PASSWORDS.analyst), groups: ['readers'] },
      { name: 'vendor', password_hash: testHash(CONSOLE_PASSWORDS.vendor), groups: ['vendors'] },
    ],
    console: { enabled: true, session_keys: [SESSION_KEY] },
    store: { type: 'sqlite', sqlite: { path: ':memory:' } },
    ...overrides,
  };
}

/** A clock that tests move: seeding "in the past" gives the per-day charts something to draw. */
export class ShiftableClock {
  offsetMicros = 0n;
  readonly now: Clock = () => systemClock() + this.offsetMicros;

  setDaysAgo(days: number): void {
    this.offsetMicros = -BigInt(Math.round(days * 86_400)) * 1_000_000n;
  }
}

export interface ConsoleOptions {
  storeKind?: StoreKind;
  config?: Record<string, unknown>;
  throttle?: LoginThrottle;
  validateLimits?: ValidateLimits;
}

export interface ConsoleTestApp {
  /** The TAXII app (for pushing) */
  taxii: Express;
  /** The console, mounted at /_console in front of the TAXII routes. */
  app: Express;
  store: Store;
  config: TaxiwayConfig;
  clock: ShiftableClock;
  /** Whether buildApp itself serves the console (wired), rather than this harness mounting it. */
  wired: boolean;
  close(): Promise<void>;
}

/** Whether the app built by buildApp serves the console already. */
async function servesConsole(app: Express): Promise<boolean> {
  const res = await request(app).get('/_console/sign-in').set('Accept', 'text/html');
  return res.status === 200 && String(res.headers['content-type']).startsWith('text/html');
}

/**
 * The TAXII app from buildApp and, in front of it, the console. Once src/app.ts mounts the console
 * itself, its mount is used (so these tests exercise the real wiring) unless a test needs a
 * throttle or limits of its own, which only a direct mount can take.
 */
export async function makeConsoleApp(options: ConsoleOptions = {}): Promise<ConsoleTestApp> {
  const clock = new ShiftableClock();
  const made = await makeTestApp({ config: options.config ?? consoleConfigObject(), storeKind: options.storeKind, clock: clock.now });
  const { config, store } = made;
  const direct = options.throttle !== undefined || options.validateLimits !== undefined;
  const wired = !direct && config.console.enabled && (await servesConsole(made.app));
  let app = made.app;
  if (!wired) {
    app = express();
    app.set('trust proxy', config.server.trust_proxy);
    app.use((req, _res, next) => {
      req.requestId = 'test-request';
      next();
    });
    app.use(
      '/_console',
      consoleRouter({
        config,
        catalog: new Catalog(config),
        objects: new ObjectService(store),
        ingest: new IngestService({ store, validator: createStixValidator(), clock: clock.now, retentionHours: config.status.retention_hours }),
        store,
        logger: silentLogger(),
        keys: consoleSessionKeys(config, silentLogger()),
        clock: clock.now,
        throttle: options.throttle,
        validateLimiter: options.validateLimits ? new ValidateLimiter(options.validateLimits) : undefined,
      }),
    );
    app.use(made.app);
  }
  return { taxii: made.app, app, store, config, clock, wired, close: made.close };
}

export interface RunningConsole extends ConsoleTestApp {
  url: string;
}

/** The console app on a real HTTP server on 127.0.0.1 (for the browser). */
export async function startConsoleServer(options: ConsoleOptions = {}): Promise<RunningConsole> {
  const made = await makeConsoleApp(options);
  const server = http.createServer(made.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...made,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await made.close();
    },
  };
}

const TAXII = 'application/taxii+json;version=2.1';

/** Pushes objects through the TAXII API; returns the status resource. */
export async function push(app: Express, root: string, collection: string, user: ConsoleUser, objects: unknown[]): Promise<{ id: string; failure_count: number; success_count: number }> {
  const res = await request(app)
    .post(`/${root}/collections/${collection}/objects/`)
    .set('Accept', TAXII)
    .set('Content-Type', TAXII)
    .auth(user, CONSOLE_PASSWORDS[user])
    .send(JSON.stringify({ objects }));
  if (res.status !== 202) throw new Error(`push failed: ${res.status} ${res.text}`);
  return JSON.parse(res.text) as { id: string; failure_count: number; success_count: number };
}

/** A session cookie value as the server would sign it, with any claims (forged or expired sessions). */
export function sessionCookie(config: TaxiwayConfig, claims: Partial<SessionClaims> & { u: string }, key = SESSION_KEY): string {
  const [sessionKey] = keyRing({ ...config.console, session_keys: [key] }, { fallback: Buffer.alloc(32) });
  const user = config.users.find((u) => u.name === claims.u);
  const now = Math.floor(Date.now() / 1000);
  return signSession({ sid: 'forged-session-id', iat: now, seen: now, fp: user ? passwordFingerprint(user.name, user.password_hash, sessionKey) : 'none', ...claims }, sessionKey);
}
