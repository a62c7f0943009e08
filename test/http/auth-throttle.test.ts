import type http from 'node:http';
import request from 'supertest';
import { DerivationLimiter } from '../../src/auth/derivations';
import { createLoginThrottle, type ThrottleSettings } from '../../src/auth/throttle';
import { UserDirectory } from '../../src/auth/users';
import { buildConfig } from '../../src/config/load';
import { expectTaxii } from '../support/taxii-schemas';
import { IDS, makeTestApp, PASSWORDS, TAXII, testConfigObject, type TestApp } from '../support/app';

/** The schema's defaults but a shorter address limit, so a test reaches it quickly. */
const SETTINGS: ThrottleSettings = { window_seconds: 900, address_failures: 30, pair_failures: 10, user_slowdown_after: 5, max_delay_ms: 2000 };
const READ = `/api1/collections/${IDS.rw}/objects/`;

interface Setup {
  t: TestApp;
  server: http.Server;
  /** Every delay the throttle asked for; nothing actually waits. */
  delays: number[];
  get(address: string, user: string, password: string): Promise<request.Response>;
}

/** An app behind a trusted proxy (so X-Forwarded-For is the client address), with a throttle that records its delays. */
async function setup(settings: Partial<ThrottleSettings> = {}, auth?: (raw: Record<string, unknown>) => UserDirectory): Promise<Setup> {
  const delays: number[] = [];
  const throttle = createLoginThrottle({ ...SETTINGS, ...settings }, { sleep: async (ms) => void delays.push(ms) });
  const raw = testConfigObject({ server: { log_level: 'error', trust_proxy: true } });
  const t = await makeTestApp({ config: raw, app: { throttle, auth: auth?.(raw) } });
  const server = t.app.listen(0);
  const get = (address: string, user: string, password: string) => request(server).get(READ).set('Accept', TAXII).set('X-Forwarded-For', address).auth(user, password);
  return { t, server, delays, get };
}

async function teardown(s: Setup): Promise<void> {
  await new Promise((resolve) => s.server.close(resolve));
  await s.t.close();
}

async function failRepeatedly(s: Setup, address: string, user: string, times: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push((await s.get(address, user, `wrong-${i}`)).status);
  return statuses;
}

describe('login throttle over HTTP', () => {
  let s: Setup;
  afterEach(() => teardown(s));

  test('200 wrong passwords for one user from one address: 401 until pair_failures, then 429 with Retry-After and a TAXII error', async () => {
    s = await setup();
    const statuses = await failRepeatedly(s, '192.0.2.10', 'alice', 200);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(190).fill(429));
    // Attempts 6 to 10 were slowed, each more; refused ones are answered at once.
    expect(s.delays).toEqual([250, 500, 1000, 2000, 2000]);
    const refused = await s.get('192.0.2.10', 'alice', PASSWORDS.alice);
    expectTaxii(refused, 'error', 429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= SETTINGS.window_seconds).toBe(true);
    expect(refused.body.description).toMatch(/retry in \d+ seconds/);
  });

  test('the same user from another address is only slowed, never refused, and signs in', async () => {
    s = await setup();
    await failRepeatedly(s, '192.0.2.10', 'alice', 200);
    s.delays.length = 0;
    expect(await failRepeatedly(s, '198.51.100.7', 'alice', 9)).toEqual(Array(9).fill(401));
    expect(s.delays).toHaveLength(9);
    expect(Math.min(...s.delays)).toBeGreaterThan(0);
    expect(Math.max(...s.delays)).toBeLessThanOrEqual(SETTINGS.max_delay_ms);
    expect((await s.get('198.51.100.7', 'alice', PASSWORDS.alice)).status).toBe(200);
    // Signing in forgot that pair's failures: the next wrong password is a plain 401 again.
    expect((await s.get('198.51.100.7', 'alice', 'wrong')).status).toBe(401);
  });

  test('another user signs in from the locked address until the address limit is reached', async () => {
    s = await setup();
    await failRepeatedly(s, '192.0.2.10', 'alice', 12);
    expect((await s.get('192.0.2.10', 'bob', PASSWORDS.bob)).status).toBe(200);
    await failRepeatedly(s, '192.0.2.10', 'carol', 10);
    await failRepeatedly(s, '192.0.2.10', 'nobody', 10);
    const refused = await s.get('192.0.2.10', 'admin', PASSWORDS.admin);
    expectTaxii(refused, 'error', 429);
    expect((await s.get('192.0.2.11', 'admin', PASSWORDS.admin)).status).toBe(200);
  });

  test('malformed credentials count against the address', async () => {
    s = await setup({ address_failures: 3 });
    for (let i = 0; i < 3; i++) {
      const res = await request(s.server).get(READ).set('Accept', TAXII).set('X-Forwarded-For', '192.0.2.20').set('Authorization', 'Basic !!!');
      expect(res.status).toBe(401);
    }
    expect((await s.get('192.0.2.20', 'alice', PASSWORDS.alice)).status).toBe(429);
  });

  test('without server.trust_proxy, X-Forwarded-For is ignored: the proxy itself is the client', async () => {
    const throttle = createLoginThrottle({ ...SETTINGS, address_failures: 3 }, { sleep: async () => undefined });
    const t = await makeTestApp({ app: { throttle } });
    s = { t, server: t.app.listen(0), delays: [], get: () => Promise.reject(new Error('unused')) };
    const as = (address: string, user: string, password: string) => request(s.server).get(READ).set('Accept', TAXII).set('X-Forwarded-For', address).auth(user, password);
    for (let i = 0; i < 3; i++) expect((await as(`203.0.113.${i}`, 'carol', 'wrong')).status).toBe(401);
    expect((await as('203.0.113.99', 'alice', PASSWORDS.alice)).status).toBe(429);
  });
});

describe('derivation cap over HTTP', () => {
  let s: Setup;
  let derivations: DerivationLimiter;
  let release: () => void;
  afterEach(async () => {
    release();
    await teardown(s);
  });

  /** An app whose only derivation slot is held until `release()`, so queues build up deterministically. */
  async function heldApp(maxWaiting = 100): Promise<void> {
    derivations = new DerivationLimiter(1, maxWaiting);
    s = await setup({ address_failures: 1000, pair_failures: 1000 }, (raw) => new UserDirectory(buildConfig(raw).users, { derivations }));
    void derivations.run(() => new Promise<void>((resolve) => (release = resolve)));
  }

  const from = (address: string, user: string, password: string) => s.get(address, user, password);

  async function until(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 2000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(condition()).toBe(true);
  }

  test('a correct login does not wait behind a flood of wrong passwords', async () => {
    await heldApp();
    const finished: string[] = [];
    const flood = Array.from({ length: 50 }, (_, i) => from('192.0.2.50', 'alice', `guess-${i}`).then((res) => finished.push(`wrong:${res.status}`)));
    await until(() => derivations.waiting === 50);
    const correct = from('198.51.100.1', 'bob', PASSWORDS.bob).then((res) => finished.push(`correct:${res.status}`));
    await until(() => derivations.waiting === 51);
    release();
    await Promise.all([...flood, correct]);
    const position = finished.indexOf('correct:200');
    expect(position).toBeGreaterThanOrEqual(0);
    // Only attempts picked before the flood's first failure was recorded can go first.
    expect(position).toBeLessThan(5);
    expect(finished.filter((f) => f === 'wrong:401')).toHaveLength(50);
  });

  test('cached logins are answered while every derivation slot is taken', async () => {
    await heldApp();
    release();
    expect((await from('198.51.100.1', 'bob', PASSWORDS.bob)).status).toBe(200);
    void derivations.run(() => new Promise<void>((resolve) => (release = resolve)));
    const flood = Array.from({ length: 20 }, (_, i) => from('192.0.2.50', 'alice', `guess-${i}`).then((res) => res.status));
    await until(() => derivations.waiting === 20);
    expect((await from('198.51.100.1', 'bob', PASSWORDS.bob)).status).toBe(200);
    expect([derivations.running, derivations.waiting]).toEqual([1, 20]);
    release();
    expect(await Promise.all(flood)).toEqual(Array(20).fill(401));
  });

  test('when too many wait, suspect attempts are refused with 429 to make room for clean ones', async () => {
    await heldApp(4);
    release();
    expect((await from('192.0.2.50', 'alice', 'first-guess')).status).toBe(401);
    void derivations.run(() => new Promise<void>((resolve) => (release = resolve)));
    const answered: request.Response[] = [];
    const flood = Array.from({ length: 8 }, (_, i) => from('192.0.2.50', 'alice', `guess-${i}`).then((res) => (answered.push(res), res)));
    // Four wait; the other four, suspect, are refused at once.
    await until(() => derivations.waiting === 4 && answered.length === 4);
    const correct = from('198.51.100.1', 'bob', PASSWORDS.bob);
    const correctStatus = correct.then((res) => res.status);
    // The clean newcomer takes the place of the newest suspect waiter.
    await until(() => answered.length === 5);
    release();
    const results = await Promise.all(flood);
    expect(await correctStatus).toBe(200);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(5);
    for (const r of refused) {
      expectTaxii(r, 'error', 429);
      expect(r.headers['retry-after']).toBe('1');
    }
    expect(results.filter((r) => r.status === 401)).toHaveLength(3);
  });
});
