/**
 * The console inside the real app (buildApp): served under /_console/ when enabled, absent
 * otherwise, and never changing what the TAXII routes answer. The tests marked "needs the wiring"
 * pass once src/app.ts mounts the console at /_console and the Accept guard lets it through.
 */
import request from 'supertest';
import { IDS, makeTestApp, PASSWORDS, taxiiGet, testConfigObject, type TestApp } from '../support/app';

const KEY = 'console-taxii-test-key-0123456789abcdefghijkl';

describe('the console beside the TAXII API', () => {
  let enabled: TestApp;
  let disabled: TestApp;

  beforeAll(async () => {
    enabled = await makeTestApp({ config: testConfigObject({ console: { enabled: true, session_keys: [KEY] } }) });
    disabled = await makeTestApp();
  });
  afterAll(async () => {
    await enabled.close();
    await disabled.close();
  });

  it('keeps TAXII routes answering 406 to browsers asking for HTML only, console enabled or not', async () => {
    for (const app of [enabled.app, disabled.app]) {
      for (const path of ['/taxii2/', '/api1/', `/api1/collections/${IDS.rw}/objects/`]) {
        const res = await request(app).get(path).set('Accept', 'text/html').auth('alice', PASSWORDS.alice);
        expect(res.status).toBe(406);
        expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
      }
    }
  });

  it('leaves TAXII answers unchanged by a console session cookie', async () => {
    const res = await taxiiGet(enabled.app, `/api1/collections/${IDS.rw}/objects/`).set('Cookie', 'taxiway_session=anything');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
  });

  it('is not served when console.enabled is off', async () => {
    const res = await request(disabled.app).get('/_console/sign-in').set('Accept', 'text/html');
    expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
    expect(res.status).not.toBe(200);
  });

  // Needs the wiring: buildApp mounts the console and the Accept guard lets /_console/ through.
  it('serves the sign-in page as HTML under /_console/ when enabled', async () => {
    const res = await request(enabled.app).get('/_console/sign-in').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  // Needs the wiring: the console authenticates by its session only, before TAXII authentication.
  it('ignores Authorization headers, right or wrong, and sends visitors to sign in', async () => {
    for (const password of [PASSWORDS.alice, 'wrong']) {
      const res = await request(enabled.app).get('/_console/').set('Accept', 'text/html').auth('alice', password);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/_console/sign-in?next=%2F_console%2F');
    }
  });

  // Needs the wiring: a console sign-in's user sees exactly the collections TAXII lets them read.
  it('shows a signed-in user the collections the TAXII API lists for them', async () => {
    const page = await request(enabled.app).get('/_console/sign-in').set('Accept', 'text/html');
    const login = String(page.headers['set-cookie']).split(';')[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const signIn = await request(enabled.app)
      .post('/_console/sign-in')
      .set('Host', 'taxii.test')
      .set('Origin', 'http://taxii.test')
      .set('Cookie', login)
      .type('form')
      .send({ _csrf: csrf, user: 'bob', password: PASSWORDS.bob });
    expect(signIn.status).toBe(303);
    const session = (signIn.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('taxiway_session='))?.split(';')[0] ?? '';
    const overview = await request(enabled.app).get('/_console/').set('Cookie', session);
    const consoleIds = [...overview.text.matchAll(/\/_console\/collections\/[^/]+\/([0-9a-f-]{36})\//g)].map((m) => m[1]);
    const readable: string[] = [];
    for (const root of ['api1', 'api2', 'public', 'empty']) {
      const res = await taxiiGet(enabled.app, `/${root}/collections/`, 'bob');
      if (res.status !== 200) continue;
      for (const c of (JSON.parse(res.text) as { collections?: Array<{ id: string; can_read: boolean }> }).collections ?? []) if (c.can_read) readable.push(c.id);
    }
    expect(new Set(consoleIds)).toEqual(new Set(readable));
  });
});
