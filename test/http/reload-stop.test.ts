/**
 * Reload without dropping polls, and graceful stop, on a real HTTP server: each request runs on the
 * configuration it started with, a reload applies to the next request and drops cached logins, and
 * a stop lets requests in flight finish (with Connection: close) before the server closes.
 */
import http from 'node:http';
import { buildConfig } from '../../src/config/load';
import type { TaxiwayConfig } from '../../src/config/types';
import { silentLogger } from '../../src/logging';
import { startServer, type RunningServer } from '../../src/server';
import type { Store } from '../../src/store/store';
import { IDS, makeTestStore, PASSWORDS, storeKinds, testConfigObject, testHash } from '../support/app';
import { envelope, indicator } from '../support/stix';

const TAXII = 'application/taxii+json;version=2.1';
const objectsPath = `/api1/collections/${IDS.rw}/objects/`;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request over a keep-alive agent, like a polling client. */
function call(port: number, agent: http.Agent, path: string, user: string, password: string, method = 'GET', body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { port, host: '127.0.0.1', path, method, agent, auth: `${user}:${password}`, headers: { Accept: TAXII, ...(body ? { 'Content-Type': TAXII } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function configWith(overrides: Record<string, unknown> = {}): TaxiwayConfig {
  return buildConfig(testConfigObject({ server: { port: 0, log_level: 'error', shutdown_grace_seconds: 5 }, ...overrides }));
}

/** A store whose object pages take `delayMs`, to hold a poll in flight. */
function slowPages(store: Store, delayMs: () => number): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== 'queryObjectTexts' || typeof value !== 'function') return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      return async (...args: Parameters<Store['queryObjectTexts']>) => {
        await new Promise((r) => setTimeout(r, delayMs()));
        return target.queryObjectTexts(...args);
      };
    },
  });
}

describe.each(storeKinds())('%s store', (storeKind) => {
  let running: RunningServer | undefined;
  let cleanup: () => Promise<void>;
  let store: Store;
  let port: number;
  let agent: http.Agent;
  let delay = 0;

  beforeEach(async () => {
    ({ store, cleanup } = await makeTestStore(storeKind));
    await store.open();
    running = await startServer(configWith(), { store: slowPages(store, () => delay), logger: silentLogger() });
    port = (running.server.address() as { port: number }).port;
    agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    delay = 0;
  });
  afterEach(async () => {
    agent.destroy();
    await running?.stop(100);
    await cleanup();
  });

  it('applies a new user and a disabled user at the next request, while a client keeps polling without an error', async () => {
    await call(port, agent, objectsPath, 'alice', PASSWORDS.alice, 'POST', JSON.stringify(envelope(indicator(), indicator())));
    const statuses: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) statuses.push((await call(port, agent, `${objectsPath}?limit=1`, 'admin', PASSWORDS.admin)).status);
    })();
    await new Promise((r) => setTimeout(r, 100));
    expect((await call(port, agent, objectsPath, 'dave', 'dave-pw')).status).toBe(401);

    const base = testConfigObject() as { users: Array<Record<string, unknown>>; collections: Array<Record<string, unknown>> };
    const withDave = {
      users: [...base.users.map((u) => (u.name === 'alice' ? { ...u, enabled: false } : u)), { name: 'dave', password_hash: testHash('dave-pw') }],
      collections: base.collections.map((c) => (c.id === IDS.rw ? { ...c, permissions: { read: { users: ['alice', 'admin', 'dave'] }, write: { users: ['alice', 'admin'] } } } : c)),
    };
    expect(running?.reload(configWith(withDave))).toEqual([]);
    expect((await call(port, agent, objectsPath, 'dave', 'dave-pw')).status).toBe(200);
    // alice's login was cached by the old configuration; a reload drops cached logins.
    expect((await call(port, agent, objectsPath, 'alice', PASSWORDS.alice)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    polling = false;
    await poller;
    expect(statuses.length).toBeGreaterThan(2);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });

  it('names what a reload cannot change', () => {
    const moved = configWith({ server: { port: 1, host: '0.0.0.0', log_level: 'error' }, store: { type: 'sqlite', sqlite: { path: '/tmp/elsewhere.db' } } });
    expect(running?.reload(moved)).toEqual(['server.host', 'server.port', 'store']);
  });

  it('lets a poll in flight finish on stop, says Connection: close, then refuses new connections', async () => {
    await call(port, agent, objectsPath, 'alice', PASSWORDS.alice, 'POST', JSON.stringify(envelope(indicator())));
    delay = 400;
    const inFlight = call(port, agent, objectsPath, 'alice', PASSWORDS.alice);
    await new Promise((r) => setTimeout(r, 100));
    const stopped = running?.stop(5000);
    const reply = await inFlight;
    expect(reply.status).toBe(200);
    expect(reply.headers.connection).toBe('close');
    expect(JSON.parse(reply.body).objects).toHaveLength(1);
    await stopped;
    running = undefined;
    await expect(call(port, new http.Agent(), objectsPath, 'alice', PASSWORDS.alice)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('closes what is still running when the grace period ends', async () => {
    delay = 1500;
    const inFlight = call(port, agent, objectsPath, 'alice', PASSWORDS.alice).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await running?.stop(200);
    running = undefined;
    expect(Date.now() - started).toBeLessThan(1200);
    expect(await inFlight).toMatch(/socket hang up|ECONNRESET/);
    // Let the held page finish before the store closes.
    await new Promise((r) => setTimeout(r, 1500));
  });
});
