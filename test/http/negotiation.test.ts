import request from 'supertest';
import { expectTaxii } from '../support/taxii-schemas';
import { makeTestApp, TAXII, type TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

describe('content negotiation', () => {
  test.each([
    'application/taxii+json;version=2.1',
    'application/taxii+json',
    'application/taxii+json; version=2.1',
    'application/json, application/taxii+json;version=2.1;q=0.5',
    'application/json, text/plain, */*',
    'application/*',
    '*/*',
    'application/vnd.oasis.taxii+json;version=2.1',
  ])('Accept %p is served as TAXII 2.1', async (accept) => {
    const res = await request(t.app).get('/api1/').set('Accept', accept).auth('alice', 'alice-pw');
    expectTaxii(res, 'api-root', 200);
  });

  test('no Accept header at all (plain HTTP clients) is served', async () => {
    const res = await request(t.app).get('/api1/').unset('Accept').auth('alice', 'alice-pw');
    expectTaxii(res, 'api-root', 200);
  });

  test('no User-Agent is fine', async () => {
    const res = await request(t.app).get('/api1/').set('Accept', TAXII).unset('User-Agent').auth('alice', 'alice-pw');
    expectTaxii(res, 'api-root', 200);
  });

  test.each(['application/json', 'application/taxii+json;version=2.0', 'text/html', 'application/stix+json;version=2.1', 'application/taxii+json;q=0'])(
    'Accept %p gets 406 as a TAXII error',
    async (accept) => {
      const res = await request(t.app).get('/api1/').set('Accept', accept).auth('alice', 'alice-pw');
      expectTaxii(res, 'error', 406);
    },
  );

  test('406 comes before authentication, so it does not reveal anything either way', async () => {
    const res = await request(t.app).get('/api1/').set('Accept', 'application/json');
    expectTaxii(res, 'error', 406);
  });
});

describe('errors and bad input', () => {
  test('unknown routes are 404 TAXII errors', async () => {
    for (const path of ['/', '/nothing/here/at/all/', '/api1/collections/x/y/z/']) {
      const res = await request(t.app).get(path).set('Accept', TAXII).auth('alice', 'alice-pw');
      expectTaxii(res, 'error', 404);
    }
  });

  test.each([
    ['put', '/taxii2/', 'GET, HEAD'],
    ['post', '/api1/', 'GET, HEAD'],
    ['delete', '/api1/collections/', 'GET, HEAD'],
    ['patch', '/api1/collections/11111111-1111-4111-8111-111111111111/objects/', 'GET, HEAD, POST'],
    ['put', '/api1/collections/11111111-1111-4111-8111-111111111111/objects/indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f/', 'GET, HEAD, DELETE'],
  ] as const)('%s %s is 405 with Allow', async (method, path, allow) => {
    const res = await request(t.app)[method](path).set('Accept', TAXII).auth('alice', 'alice-pw');
    expectTaxii(res, 'error', 405);
    expect(res.headers.allow).toBe(allow);
  });

  test.each(['/api1/../taxii2/', '/api1/%2e%2e/taxii2/', '/api1/collections/a%2Fb/', '/api1%2Fcollections/', '/api1/collections/a%5Cb/'])('%s is a clean 404', async (path) => {
    const res = await request(t.app).get(path).set('Accept', TAXII).auth('alice', 'alice-pw');
    expectTaxii(res, 'error', 404);
  });

  test.each(['limit[]=1', 'match[type][]=indicator', 'limit=1&limit[]=5'])('array-style parameter ?%s is a 400', async (q) => {
    const res = await request(t.app).get(`/api1/collections/11111111-1111-4111-8111-111111111111/objects/?${q}`).set('Accept', TAXII).auth('alice', 'alice-pw');
    expectTaxii(res, 'error', 400);
  });

  test('very long URLs get 414', async () => {
    const res = await request(t.app).get(`/api1/collections/?x=${'a'.repeat(9000)}`).set('Accept', TAXII).auth('alice', 'alice-pw');
    expectTaxii(res, 'error', 414);
  });

  test('an X-Request-ID is honoured and returned; errors carry it as error_id', async () => {
    const res = await request(t.app).get('/nope/').set('Accept', TAXII).set('X-Request-ID', 'trace-123').auth('alice', 'alice-pw');
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.body.error_id).toBe('trace-123');
    const generated = await request(t.app).get('/nope/').set('Accept', TAXII).set('X-Request-ID', 'bad id with spaces').auth('alice', 'alice-pw');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('health', () => {
  test('GET /_health/ answers without credentials and reports the store', async () => {
    const res = await request(t.app).get('/_health/').set('Accept', 'application/json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(TAXII);
    expect(res.body).toEqual({ status: 'ok', store: expect.any(String) });
  });

  test('503 with Retry-After when the store is down', async () => {
    const down = await makeTestApp();
    down.store.health = () => Promise.resolve({ ok: false, store: 'sqlite', detail: 'closed' });
    const res = await request(down.app).get('/_health/');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    await down.close();
  });
});
