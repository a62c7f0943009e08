import request from 'supertest';
import { expectTaxii } from '../support/taxii-schemas';
import { IDS, makeTestApp, PASSWORDS, TAXII, taxiiGet, type TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

describe('discovery', () => {
  test('lists only API roots where the caller can see a collection', async () => {
    const alice = await taxiiGet(t.app, '/taxii2/', 'alice');
    expectTaxii(alice, 'discovery', 200);
    expect(alice.body).toEqual({ title: 'Test server', description: 'for tests', contact: 'test@example.org', default: '/api1/', api_roots: ['/api1/', '/public/'] });
    const admin = await taxiiGet(t.app, '/taxii2/', 'admin');
    expect(admin.body.api_roots).toEqual(['/api1/', '/api2/', '/public/']);
  });

  test('omits default when that root is not listed for the caller', async () => {
    const anon = await taxiiGet(t.app, '/taxii2/');
    expectTaxii(anon, 'discovery', 200);
    expect(anon.body.api_roots).toEqual(['/public/']);
    expect(anon.body).not.toHaveProperty('default');
  });
});

describe('API root', () => {
  test('versions list the full media type, max_content_length is the configured one', async () => {
    const res = await taxiiGet(t.app, '/api1/', 'alice');
    expectTaxii(res, 'api-root', 200);
    expect(res.body).toEqual({ title: 'API 1', versions: ['application/taxii+json;version=2.1'], max_content_length: 20000 });
  });

  test('unknown roots: 404 when signed in, 401 when anonymous', async () => {
    expectTaxii(await taxiiGet(t.app, '/nope/', 'alice'), 'error', 404);
    const anon = await taxiiGet(t.app, '/nope/');
    expectTaxii(anon, 'error', 401);
    expect(anon.headers['www-authenticate']).toMatch(/^Basic realm="taxiway"/);
  });
});

describe('collections', () => {
  test('only collections the caller can read or write, in configuration order, with computed rights', async () => {
    const res = await taxiiGet(t.app, '/api1/collections/', 'alice');
    expectTaxii(res, 'collections', 200);
    const rights = res.body.collections.map((c: { id: string; can_read: boolean; can_write: boolean }) => [c.id, c.can_read, c.can_write]);
    expect(rights).toEqual([
      [IDS.rw, true, true],
      [IDS.ro, true, false],
      [IDS.wo, false, true],
      [IDS.shared, true, true],
      [IDS.stix20, true, true],
    ]);
    expect(res.body.collections[0]).toEqual({ id: IDS.rw, title: 'Read-write', alias: 'rw-alias', can_read: true, can_write: true, media_types: ['application/stix+json;version=2.1'] });
    const again = await taxiiGet(t.app, '/api1/collections/', 'alice');
    expect(again.text).toBe(res.text);
  });

  test('another user sees fewer, and rights are computed for them', async () => {
    const res = await taxiiGet(t.app, '/api1/collections/', 'bob');
    expect(res.body.collections.map((c: { id: string; can_read: boolean; can_write: boolean }) => [c.id, c.can_read, c.can_write])).toEqual([
      [IDS.rw, true, false],
      [IDS.ro, true, false],
      [IDS.shared, true, true],
    ]);
  });

  test('an empty list is {}', async () => {
    const res = await taxiiGet(t.app, '/empty/collections/', 'carol');
    expectTaxii(res, 'collections', 200);
    expect(res.text).toBe('{}');
  });

  test('API roots where the caller sees no collection answer like unknown ones', async () => {
    const hidden = await taxiiGet(t.app, '/api2/', 'carol');
    const unknown = await taxiiGet(t.app, '/nope2/', 'carol');
    expectTaxii(hidden, 'error', 404);
    expect(hidden.body.description.replace('api2', 'X')).toBe(unknown.body.description.replace('nope2', 'X'));
    expectTaxii(await taxiiGet(t.app, '/api2/collections/', 'carol'), 'error', 404);
    expectTaxii(await taxiiGet(t.app, '/api2/', 'admin'), 'api-root', 200);
  });

  test('paths are case-sensitive', async () => {
    expectTaxii(await taxiiGet(t.app, '/TAXII2/', 'alice'), 'error', 404);
    expectTaxii(await taxiiGet(t.app, '/API1/', 'alice'), 'error', 404);
  });

  test('a collection by id or alias; invisible ones are 404', async () => {
    const byId = await taxiiGet(t.app, `/api1/collections/${IDS.wo}/`, 'alice');
    expectTaxii(byId, 'collection', 200);
    expect(byId.body).toMatchObject({ id: IDS.wo, can_read: false, can_write: true });
    const byAlias = await taxiiGet(t.app, '/api1/collections/rw-alias/', 'bob');
    expectTaxii(byAlias, 'collection', 200);
    expect(byAlias.body).toMatchObject({ id: IDS.rw, can_read: true, can_write: false });
    expectTaxii(await taxiiGet(t.app, `/api1/collections/${IDS.none}/`, 'alice'), 'error', 404);
    expectTaxii(await taxiiGet(t.app, `/api1/collections/${IDS.other}/`, 'admin'), 'error', 404); // lives in api2
  });

  test('paths without the trailing slash are served the same', async () => {
    const res = await taxiiGet(t.app, `/api1/collections/${IDS.rw}`, 'alice');
    expectTaxii(res, 'collection', 200);
    expect((await taxiiGet(t.app, '/taxii2', 'alice')).status).toBe(200);
  });
});

describe('authentication', () => {
  test('missing credentials: 401 on every path not readable anonymously, existing or not', async () => {
    for (const path of ['/api1/', '/api1/collections/', `/api1/collections/${IDS.rw}/`, `/api1/collections/${IDS.none}/`, '/api2/', `/api1/collections/${IDS.rw}/objects/`, '/api1/status/00000000-0000-4000-8000-000000000000/', '/missing/collections/x/objects/']) {
      const res = await taxiiGet(t.app, path);
      expectTaxii(res, 'error', 401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="taxiway", charset="UTF-8"');
    }
  });

  test('anonymous callers read anonymously readable collections', async () => {
    expectTaxii(await taxiiGet(t.app, '/public/'), 'api-root', 200);
    const list = await taxiiGet(t.app, '/public/collections/');
    expect(list.body.collections).toEqual([expect.objectContaining({ id: IDS.anon, can_read: true, can_write: false })]);
    expectTaxii(await taxiiGet(t.app, `/public/collections/${IDS.anon}/objects/`), 'envelope', 200);
  });

  test('wrong credentials are 401 everywhere and never fall back to anonymous access', async () => {
    for (const path of ['/taxii2/', '/public/', `/public/collections/${IDS.anon}/objects/`, '/api1/']) {
      const res = await request(t.app).get(path).set('Accept', TAXII).auth('alice', 'wrong');
      expectTaxii(res, 'error', 401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic /);
    }
  });

  test.each([
    ['Bearer abc'],
    ['Basic'],
    ['Basic !!!notbase64'],
    [`Basic ${Buffer.from('no-colon').toString('base64')}`],
    [`Basic ${Buffer.from(':pw').toString('base64')}`],
    ['Digest username="alice"'],
    [`NotBasic ${Buffer.from('alice:alice-pw').toString('base64')}`],
  ])('malformed or non-Basic Authorization %p gets 401', async (header) => {
    const res = await request(t.app).get('/api1/').set('Accept', TAXII).set('Authorization', header);
    expectTaxii(res, 'error', 401);
  });

  test('passwords containing colons work (RFC 7617: the user id ends at the first colon)', async () => {
    expect(PASSWORDS.bob).toContain(':');
    expectTaxii(await taxiiGet(t.app, '/api1/', 'bob'), 'api-root', 200);
    const truncated = await request(t.app).get('/api1/').set('Accept', TAXII).auth('bob', 'bob');
    expect(truncated.status).toBe(401);
  });
});

describe('authorisation', () => {
  const objects = (id: string) => `/api1/collections/${id}/objects/`;
  test('read: 200 with read, 403 when only writable, 404 when invisible', async () => {
    expect((await taxiiGet(t.app, objects(IDS.ro), 'alice')).status).toBe(200);
    expectTaxii(await taxiiGet(t.app, objects(IDS.wo), 'alice'), 'error', 403);
    expectTaxii(await taxiiGet(t.app, objects(IDS.none), 'alice'), 'error', 404);
    expectTaxii(await taxiiGet(t.app, objects(IDS.ro), 'carol'), 'error', 404);
    expectTaxii(await taxiiGet(t.app, `/api1/collections/${IDS.ro}/manifest/`, 'carol'), 'error', 404);
  });

  test('write: 403 when only readable, 404 when invisible', async () => {
    const post = (id: string, user: keyof typeof PASSWORDS) =>
      request(t.app).post(objects(id)).set('Accept', TAXII).set('Content-Type', TAXII).auth(user, PASSWORDS[user]).send('{"objects":[]}');
    expectTaxii(await post(IDS.ro, 'alice'), 'error', 403);
    expectTaxii(await post(IDS.rw, 'bob'), 'error', 403);
    expectTaxii(await post(IDS.none, 'alice'), 'error', 404);
    expectTaxii(await post(IDS.rw, 'carol'), 'error', 404);
  });
});
