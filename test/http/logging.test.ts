import request from 'supertest';
import { buildApp } from '../../src/app';
import { buildConfig } from '../../src/config/load';
import { createSqliteStore } from '../../src/store/sqlite';
import { StoreUnavailableError, type Store } from '../../src/store/store';
import { createStixValidator } from '../../src/stix/validator';
import { expectTaxii } from '../support/taxii-schemas';
import { IDS, PASSWORDS, TAXII, testConfigObject } from '../support/app';
import { capturingLogger } from '../support/logging';

const config = buildConfig(testConfigObject());
const validator = createStixValidator();

async function appWith(store: Store) {
  const { logger, lines } = capturingLogger();
  await store.open();
  return { app: buildApp({ config, store, logger, validator }), lines };
}

describe('logging', () => {
  test('one access line per request with method, path, status, duration, user and request id', async () => {
    const { app, lines } = await appWith(createSqliteStore({ path: ':memory:' }));
    await request(app).get('/api1/').set('Accept', TAXII).set('X-Request-ID', 'req-1').auth('alice', PASSWORDS.alice);
    const access = lines.map((l) => JSON.parse(l)).filter((l) => l.message === 'request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ level: 'http', method: 'GET', path: '/api1/', status: 200, user: 'alice', requestId: 'req-1' });
    expect(typeof access[0].durationMs).toBe('number');
  });

  test('failed logins are logged with the user name, never the password or header', async () => {
    const { app, lines } = await appWith(createSqliteStore({ path: ':memory:' }));
    const header = `Basic ${Buffer.from('alice:s3cret-guess').toString('base64')}`;
    await request(app).get('/api1/').set('Accept', TAXII).set('Authorization', header);
    const all = lines.join('\n');
    expect(all).toMatch(/failed login/);
    expect(all).toMatch(/"user":"alice"/);
    expect(all).not.toContain('s3cret-guess');
    expect(all).not.toContain(header.split(' ')[1]);
    await request(app).get('/api1/').set('Accept', TAXII).auth('alice', PASSWORDS.alice);
    expect(lines.join('\n')).not.toContain(PASSWORDS.alice);
  });

  test('an unexpected exception is a 500 resource with the request id; the stack goes to the log only', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    const { app, lines } = await appWith(store);
    store.queryObjectTexts = () => Promise.reject(new Error('boom at a secret place'));
    const res = await request(app).get(`/api1/collections/${IDS.rw}/objects/`).set('Accept', TAXII).set('X-Request-ID', 'req-500').auth('alice', PASSWORDS.alice);
    expectTaxii(res, 'error', 500);
    expect(res.body.error_id).toBe('req-500');
    expect(res.text).not.toContain('boom');
    expect(res.text).not.toMatch(/at .*\.ts/);
    expect(lines.join('\n')).toMatch(/boom at a secret place/);
  });

  test('an unavailable store is a 503 with Retry-After', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    const { app } = await appWith(store);
    store.queryObjectTexts = () => Promise.reject(new StoreUnavailableError('connection refused'));
    const res = await request(app).get(`/api1/collections/${IDS.rw}/objects/`).set('Accept', TAXII).auth('alice', PASSWORDS.alice);
    expectTaxii(res, 'error', 503);
    expect(res.headers['retry-after']).toBe('5');
  });
});
