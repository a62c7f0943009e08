import request from 'supertest';
import { expectTaxii } from '../support/taxii-schemas';
import { IDS, makeTestApp, PASSWORDS, TAXII, taxiiGet, testConfigObject, type TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

describe('discovery', () => {
  const at = (host: string) => (path: string): string => `http://${host}${path}`;

  test('lists only API roots where the caller can see a collection, as absolute URLs from the request', async () => {
    const alice = await taxiiGet(t.app, '/taxii2/', 'alice').set('Host', 'taxii.example.org:8443');
    expectTaxii(alice, 'discovery', 200);
    const url = at('taxii.example.org:8443');
    expect(alice.body).toEqual({ title: 'Test server', description: 'for tests', contact: 'test@example.org', default: url('/api1/'), api_roots: [url('/api1/'), url('/public/')] });
    const admin = await taxiiGet(t.app, '/taxii2/', 'admin').set('Host', 'taxii.example.org');
    expect(admin.body.api_roots).toEqual(['/api1/', '/api2/', '/public/'].map(at('taxii.example.org')));
  });

  test('omits default when that root is not listed for the caller', async () => {
    const anon = await taxiiGet(t.app, '/taxii2/').set('Host', 'localhost');
    expectTaxii(anon, 'discovery', 200);
    expect(anon.body.api_roots).toEqual([at('localhost')('/public/')]);
    expect(anon.body).not.toHaveProperty('default');
  });

  test('builds the URLs from public_base_url when it is set, whatever the Host', async () => {
    const app = await makeTestApp({ config: testConfigObject({ server: { log_level: 'error', public_base_url: 'https://intel.example.org/taxii/' } }) });
    try {
      const res = await taxiiGet(app.app, '/taxii2/', 'alice').set('Host', 'elsewhere.example.net');
      expect(res.body.default).toBe('https://intel.example.org/taxii/api1/');
      expect(res.body.api_roots).toEqual(['https://intel.example.org/taxii/api1/', 'https://intel.example.org/taxii/public/']);
    } finally {
      await app.close();
    }
  });

  test('honours X-Forwarded-Proto and X-Forwarded-Host only from a trusted proxy', async () => {
    const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'intel.example.org' };
    const untrusted = await taxiiGet(t.app, '/taxii2/', 'alice').set('Host', 'inside.local').set(forwarded);
    expect(untrusted.body.default).toBe('http://inside.local/api1/');
    const app = await makeTestApp({ config: testConfigObject({ server: { log_level: 'error', trust_proxy: true } }) });
    try {
      const trusted = await taxiiGet(app.app, '/taxii2/', 'alice').set('Host', 'inside.local').set(forwarded);
      expect(trusted.body.default).toBe('https://intel.example.org/api1/');
    } finally {
      await app.close();
    }
  });

  test.each(['evil.example.org/path', 'a b', 'exa mple.org', '[::1', 'host:99999', '-.example', 'x'.repeat(300), 'a..b'])('refuses the malformed Host %s with 400', async (host) => {
    const res = await taxiiGet(t.app, '/taxii2/', 'alice').set('Host', host);
    expectTaxii(res, 'error', 400);
    expect(res.body.description).toMatch(/Host/);
  });

  test('with allowed_hosts, refuses any other Host and serves the listed ones (health probes: any well-formed Host)', async () => {
    const app = await makeTestApp({ config: testConfigObject({ server: { log_level: 'error', allowed_hosts: ['intel.example.org', 'localhost:8000', '[::1]'] } }) });
    try {
      for (const host of ['intel.example.org', 'INTEL.example.org:443', 'localhost:8000', '[::1]:8000']) {
        expect((await taxiiGet(app.app, '/taxii2/', 'alice').set('Host', host)).status).toBe(200);
      }
      for (const host of ['evil.example.org', 'localhost', 'localhost:9000', 'intel.example.org.evil.net']) {
        expectTaxii(await taxiiGet(app.app, '/taxii2/', 'alice').set('Host', host), 'error', 400);
      }
      expect((await request(app.app).get('/_health/').set('Host', '10.0.0.5:8000')).status).toBe(200);
      expect((await request(app.app).get('/_health/').set('Host', 'a b')).status).toBe(400);
    } finally {
      await app.close();
    }
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
      expect(res.headers['www-authenticate']).toBe('Basic realm="taxiway", charset="UTF-8", Bearer realm="taxiway"');
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
