import request from 'supertest';
import { buildApp } from '../../src/app';
import { generateApiKey, type NewApiKey } from '../../src/auth/keys';
import { createLoginThrottle } from '../../src/auth/throttle';
import { buildConfig } from '../../src/config/load';
import { createSqliteStore } from '../../src/store/sqlite';
import { expectTaxii } from '../support/taxii-schemas';
import { envelope, indicator } from '../support/stix';
import { IDS, makeTestApp, TAXII, testConfigObject, testHash, type TestApp } from '../support/app';
import { capturingLogger } from '../support/logging';

const KEYS = { alice: generateApiKey(), bob: generateApiKey(), expired: generateApiKey(), dora: generateApiKey(), revoked: generateApiKey() };
const READ = `/api1/collections/${IDS.rw}/objects/`;

const entry = (name: string, k: NewApiKey, expires?: string) => ({ id: k.id, name, sha256: k.sha256, created: '2025-01-01T00:00:00Z', ...(expires ? { expires } : {}) });

/** The test users, with API keys: alice's (valid, and one expired), bob's, and one of a disabled user. */
function configWithKeys(withRevoked = true): Record<string, unknown> {
  const raw = testConfigObject();
  const users = raw.users as Record<string, unknown>[];
  users[0].api_keys = [entry('misp', KEYS.alice), entry('old', KEYS.expired, '2001-01-01T00:00:00Z'), ...(withRevoked ? [entry('sentinel', KEYS.revoked)] : [])];
  users[1].api_keys = [entry('reader', KEYS.bob, '2999-01-01T00:00:00Z')];
  users.push({ name: 'dora', password_hash: testHash('dora-pw'), enabled: false, api_keys: [entry('x', KEYS.dora)] });
  return raw;
}

type Form = 'Bearer' | 'Token' | 'Basic';
const FORMS: Form[] = ['Bearer', 'Token', 'Basic'];

function authorization(form: Form, user: string, key: string): string {
  return form === 'Basic' ? `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}` : `${form} ${key}`;
}

describe('API keys', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp({ config: configWithKeys(), app: { throttle: createLoginThrottle(buildConfig(testConfigObject()).auth.throttle, { sleep: async () => undefined }) } });
  });
  afterEach(() => t.close());

  const get = (path: string, header: string) => request(t.app).get(path).set('Accept', TAXII).set('Authorization', header);
  const post = (path: string, header: string) =>
    request(t.app).post(path).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', header).send(JSON.stringify(envelope(indicator())));

  test.each(FORMS)("as %s, a key reads and writes with its user's rights", async (form) => {
    const alice = authorization(form, 'alice', KEYS.alice.key);
    expectTaxii(await get(READ, alice), 'envelope', 200);
    expectTaxii(await post(READ, alice), 'status', 202);
    const bob = authorization(form, 'bob', KEYS.bob.key);
    expectTaxii(await get(READ, bob), 'envelope', 200);
    expectTaxii(await post(READ, bob), 'error', 403);
    expectTaxii(await get(`/api2/collections/${IDS.other}/objects/`, bob), 'error', 404);
  });

  test.each(FORMS)('as %s, a wrong, expired, malformed, foreign or disabled user\'s key is 401', async (form) => {
    const wrongSecret = `${KEYS.alice.key.slice(0, 13)}${'x'.repeat(43)}`;
    for (const key of [wrongSecret, KEYS.expired.key, 'twk_short', generateApiKey().key, KEYS.dora.key]) {
      const owner = key === KEYS.dora.key ? 'dora' : 'alice';
      const res = await get(READ, authorization(form, owner, key));
      expectTaxii(res, 'error', 401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic /);
    }
  });

  test("a key given as the Basic password of another user is 401, not that key's user", async () => {
    expectTaxii(await get(READ, authorization('Basic', 'bob', KEYS.alice.key)), 'error', 401);
  });

  test('a key removed from the configuration no longer works once the app is rebuilt (reload)', async () => {
    expectTaxii(await get(READ, `Bearer ${KEYS.revoked.key}`), 'envelope', 200);
    const reloaded = await makeTestApp({ config: configWithKeys(false) });
    try {
      expectTaxii(await request(reloaded.app).get(READ).set('Accept', TAXII).set('Authorization', `Bearer ${KEYS.revoked.key}`), 'error', 401);
    } finally {
      await reloaded.close();
    }
  });

  test('a key never works as a query parameter or a body field', async () => {
    for (const param of ['access_token', 'api_key', 'apikey', 'key', 'token']) {
      expectTaxii(await request(t.app).get(`${READ}?${param}=${KEYS.alice.key}`).set('Accept', TAXII), 'error', 401);
    }
    const body = { ...envelope(indicator()), access_token: KEYS.alice.key, api_key: KEYS.alice.key };
    const res = await request(t.app).post(READ).set('Accept', TAXII).set('Content-Type', TAXII).send(JSON.stringify(body));
    expectTaxii(res, 'error', 401);
  });

  test('the Bearer and Token schemes take exactly one key', async () => {
    for (const header of ['Bearer', 'Bearer ', `Bearer ${KEYS.alice.key} extra`, `Bearer ${KEYS.alice.key},x`, `Bearerx ${KEYS.alice.key}`]) {
      expectTaxii(await get(READ, header), 'error', 401);
    }
    expectTaxii(await get(READ, `bearer ${KEYS.alice.key}`), 'envelope', 200);
  });

  test('failed keys count in the login throttle, for their user and address', async () => {
    const wrong = `${KEYS.alice.key.slice(0, 13)}${'y'.repeat(43)}`;
    for (let i = 0; i < 10; i++) expect((await get(READ, `Bearer ${wrong}`)).status).toBe(401);
    // The pair (alice, this address) is locked now, whichever way alice signs in.
    expectTaxii(await get(READ, `Bearer ${KEYS.alice.key}`), 'error', 429);
    expectTaxii(await request(t.app).get(READ).set('Accept', TAXII).auth('alice', 'alice-pw'), 'error', 429);
    expectTaxii(await get(READ, `Token ${KEYS.bob.key}`), 'envelope', 200);
  });
});

describe('API key logging', () => {
  test('failures are logged with the key id, user, reason and address; never the key', async () => {
    const { logger, lines } = capturingLogger();
    const store = createSqliteStore({ path: ':memory:' });
    await store.open();
    try {
      const app = buildApp({ config: buildConfig(configWithKeys()), store, logger });
      const wrong = `${KEYS.alice.key.slice(0, 13)}${'z'.repeat(43)}`;
      await request(app).get(READ).set('Accept', TAXII).set('Authorization', `Bearer ${wrong}`);
      await request(app).get(READ).set('Accept', TAXII).set('Authorization', `Token ${KEYS.expired.key}`);
      await request(app).get(READ).set('Accept', TAXII).set('Authorization', `Bearer ${KEYS.alice.key}`);
      const failures = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === 'failed login');
      expect(failures).toEqual([
        expect.objectContaining({ level: 'warn', user: 'alice', keyId: KEYS.alice.id, reason: 'wrong API key secret', ip: expect.any(String) }),
        expect.objectContaining({ user: 'alice', keyId: KEYS.expired.id, reason: 'expired API key' }),
      ]);
      const all = lines.join('\n');
      for (const secret of [wrong, KEYS.alice.key, KEYS.expired.key]) expect(all).not.toContain(secret.slice(13));
    } finally {
      await store.close();
    }
  });
});
