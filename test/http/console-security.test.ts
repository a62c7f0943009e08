/**
 * The console's sessions and web security over HTTP: sign-in with the login throttle, cookie flags,
 * forged, expired and revoked sessions, key rotation, CSRF tokens and Origin checks, headers.
 */
import { LoginThrottled } from '../../src/auth/failures';
import type { LoginAttempt, LoginThrottle } from '../../src/auth/throttle';
import { CONSOLE_IDS, consoleConfigObject, makeConsoleApp, sessionCookie, SESSION_KEY, type ConsoleTestApp } from '../browser/harness';
import { ConsoleClient, csrfOf, ORIGIN } from '../browser/http-client';
import request from 'supertest';

class RecordingThrottle implements LoginThrottle {
  readonly failures: LoginAttempt[] = [];
  readonly successes: LoginAttempt[] = [];
  refuse = false;
  async beforeAttempt(): Promise<void> {
    if (this.refuse) throw new LoginThrottled(42);
  }
  async recordFailure(attempt: LoginAttempt): Promise<void> {
    this.failures.push(attempt);
  }
  async recordSuccess(attempt: LoginAttempt): Promise<void> {
    this.successes.push(attempt);
  }
  isSuspect(): boolean {
    return false;
  }
}

type Users = Array<Record<string, unknown>>;

describe('console sessions and web security', () => {
  let t: ConsoleTestApp;
  const throttle = new RecordingThrottle();
  const raw = consoleConfigObject();

  beforeAll(async () => {
    t = await makeConsoleApp({ config: raw, throttle });
  });
  afterAll(() => t.close());

  it('sends anonymous visitors to sign in, whatever Authorization header they send', async () => {
    const res = await request(t.app).get('/_console/pushes/').auth('dev', 'dev-password');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/_console/sign-in?next=%2F_console%2Fpushes%2F');
    const bearer = await request(t.app).get('/_console/').set('Authorization', 'Bearer some-api-key');
    expect(bearer.status).toBe(303);
  });

  it('sets strict security headers on every console response', async () => {
    const res = await request(t.app).get('/_console/sign-in');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).not.toMatch(/<script>|<style>| style="| on[a-z]+="/);
  });

  it('signs in with a session cookie that is HttpOnly, SameSite=Strict and scoped to the console', async () => {
    const client = new ConsoleClient(t.app);
    const res = await client.signIn('dev');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/_console/');
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('taxiway_session='));
    expect(cookie).toMatch(/; Path=\/_console; HttpOnly; SameSite=Strict$/);
    expect(throttle.successes.at(-1)).toEqual({ address: expect.any(String), user: 'dev' });
    expect((await client.get('/_console/')).status).toBe(200);
  });

  it('marks the cookie Secure when the request came over HTTPS through a trusted proxy', async () => {
    const proxied = await makeConsoleApp({ config: { ...consoleConfigObject(), server: { log_level: 'error', trust_proxy: true } }, throttle });
    try {
      const page = await request(proxied.app).get('/_console/sign-in').set('X-Forwarded-Proto', 'https');
      const login = (page.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
      expect(page.headers['set-cookie']?.[0]).toMatch(/; Secure; SameSite=Strict$/);
      const res = await request(proxied.app)
        .post('/_console/sign-in')
        .set('X-Forwarded-Proto', 'https')
        .set('Host', 'console.test')
        .set('Origin', 'https://console.test')
        .set('Cookie', login)
        .type('form')
        .send({ _csrf: csrfOf(page.text), user: 'dev', password: 'dev-password' });
      expect(res.status).toBe(303);
      expect((res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('taxiway_session='))).toMatch(/; Secure; SameSite=Strict$/);
    } finally {
      await proxied.close();
    }
  });

  it('counts failed sign-ins in the login throttle and honours its refusals', async () => {
    const client = new ConsoleClient(t.app);
    const wrong = await client.signIn('dev', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('The user name or password is not right.');
    expect(throttle.failures.at(-1)).toEqual({ address: expect.any(String), user: 'dev' });
    const unknown = await client.signIn('dev', 'x');
    expect(unknown.status).toBe(401);
    throttle.refuse = true;
    try {
      const refused = await client.signIn('dev');
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('42');
      expect(client.cookies.has('taxiway_session')).toBe(false);
    } finally {
      throttle.refuse = false;
    }
  });

  it('refuses sign-in posts without the token, with a token of another browser, or from another origin', async () => {
    const client = new ConsoleClient(t.app);
    const page = await client.get('/_console/sign-in');
    const csrf = csrfOf(page.text);
    const form = { _csrf: csrf, user: 'dev', password: 'dev-password' };
    expect((await client.post('/_console/sign-in', { user: 'dev', password: 'dev-password' })).status).toBe(403);
    expect((await new ConsoleClient(t.app).post('/_console/sign-in', form)).status).toBe(403);
    expect((await client.post('/_console/sign-in', form, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await client.post('/_console/sign-in', form, {})).status).toBe(403);
    expect((await client.post('/_console/sign-in', form, { Origin: ORIGIN, 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await client.post('/_console/sign-in', form, { Referer: `${ORIGIN}/_console/sign-in` })).status).toBe(303);
  });

  it('refuses a forged, expired or idle session cookie, and says the session ended', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      sessionCookie(t.config, { u: 'dev' }, 'an-attacker-s-own-key-that-is-long-enough-0000'),
      sessionCookie(t.config, { u: 'dev', iat: now - 9 * 3600, seen: now - 60 }),
      sessionCookie(t.config, { u: 'dev', iat: now - 3600, seen: now - 31 * 60 }),
      sessionCookie(t.config, { u: 'dev', fp: 'AAAAAAAAAAAAAAAAAAAAAA' }),
      sessionCookie(t.config, { u: 'nobody' }),
      'not.a-cookie',
    ];
    for (const cookie of cases) {
      const res = await request(t.app).get('/_console/').set('Cookie', `taxiway_session=${cookie}`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toContain('ended=1');
      expect(String(res.headers['set-cookie'])).toMatch(/taxiway_session=; Path=\/_console; Expires=Thu, 01 Jan 1970/);
    }
    const valid = await request(t.app).get('/_console/').set('Cookie', `taxiway_session=${sessionCookie(t.config, { u: 'dev' })}`);
    expect(valid.status).toBe(200);
  });

  it('refreshes the idle timer as the user works', async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await request(t.app).get('/_console/').set('Cookie', `taxiway_session=${sessionCookie(t.config, { u: 'dev', seen: now - 20 * 60 })}`);
    expect(res.status).toBe(200);
    const refreshed = String(res.headers['set-cookie']).split(';')[0].slice('taxiway_session='.length);
    const claims = JSON.parse(Buffer.from(refreshed.split('.')[0], 'base64url').toString()) as { seen: number };
    expect(claims.seen).toBeGreaterThanOrEqual(now);
  });

  describe('the current configuration decides on every request', () => {
    async function withConfig(change: (config: Record<string, unknown>) => Record<string, unknown>, cookie: string): Promise<request.Response> {
      const other = await makeConsoleApp({ config: change(structuredClone(raw)), throttle });
      try {
        return await request(other.app).get(`/_console/collections/feeds/${CONSOLE_IDS.indicators}/`).set('Cookie', `taxiway_session=${cookie}`);
      } finally {
        await other.close();
      }
    }
    const devCookie = (): string => sessionCookie(t.config, { u: 'dev' });
    const editUser = (config: Record<string, unknown>, edit: (u: Record<string, unknown>) => void): Record<string, unknown> => {
      edit((config.users as Users).find((u) => u.name === 'dev') as Record<string, unknown>);
      return config;
    };

    it('keeps a session while nothing changed', async () => {
      expect((await withConfig((c) => c, devCookie())).status).toBe(200);
    });

    it('ends the sessions of a disabled user', async () => {
      expect((await withConfig((c) => editUser(c, (u) => (u.enabled = false)), devCookie())).status).toBe(303);
    });

    it('ends the sessions of a user whose password changed', async () => {
      const hash = (raw.users as Users).find((u) => u.name === 'analyst')?.password_hash;
      expect((await withConfig((c) => editUser(c, (u) => (u.password_hash = hash)), devCookie())).status).toBe(303);
    });

    it('applies a removed permission at once', async () => {
      const revoke = (c: Record<string, unknown>): Record<string, unknown> => {
        const [shared] = c.collections as Users;
        shared.permissions = { read: { users: ['vendor'] }, write: { users: ['vendor'] } };
        return c;
      };
      expect((await withConfig(revoke, devCookie())).status).toBe(404);
    });

    it('accepts sessions signed with any listed key, so keys can be rotated', async () => {
      const rotated = (c: Record<string, unknown>): Record<string, unknown> => ({ ...c, console: { enabled: true, session_keys: ['a-brand-new-session-key-0123456789abcdefghij', SESSION_KEY] } });
      expect((await withConfig(rotated, devCookie())).status).toBe(200);
      const dropped = (c: Record<string, unknown>): Record<string, unknown> => ({ ...c, console: { enabled: true, session_keys: ['a-brand-new-session-key-0123456789abcdefghij'] } });
      expect((await withConfig(dropped, devCookie())).status).toBe(303);
    });
  });

  it('signs out only with the CSRF token, and clears the cookie', async () => {
    const client = new ConsoleClient(t.app);
    await client.signIn('analyst');
    const page = await client.get('/_console/');
    expect((await client.post('/_console/sign-out', {})).status).toBe(403);
    expect((await client.post('/_console/sign-out', { _csrf: 'forged' })).status).toBe(403);
    expect(client.cookies.has('taxiway_session')).toBe(true);
    const out = await client.post('/_console/sign-out', { _csrf: csrfOf(page.text) });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/_console/sign-in?signed_out=1');
    expect(client.cookies.has('taxiway_session')).toBe(false);
    expect((await client.get('/_console/')).status).toBe(303);
  });

  it('refuses a token of one session in another', async () => {
    const a = new ConsoleClient(t.app);
    const b = new ConsoleClient(t.app);
    await a.signIn('dev');
    await b.signIn('dev');
    const tokenOfA = csrfOf((await a.get('/_console/validate')).text);
    expect((await b.post('/_console/sign-out', { _csrf: tokenOfA })).status).toBe(403);
  });

  it('only reads: other methods are refused, unknown pages are the console\'s own 404', async () => {
    expect((await request(t.app).delete('/_console/')).status).toBe(405);
    const client = new ConsoleClient(t.app);
    await client.signIn('dev');
    const missing = await client.get('/_console/no-such-page');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^text\/html/);
  });

  it('never redirects a sign-in to another site', async () => {
    for (const next of ['https://evil.example/', '//evil.example/', '/_console/\\evil', '/elsewhere', '/_console/../x']) {
      const client = new ConsoleClient(t.app);
      const page = await client.get('/_console/sign-in');
      const res = await client.post('/_console/sign-in', { _csrf: csrfOf(page.text), user: 'dev', password: 'dev-password', next });
      expect(res.headers.location).toMatch(/^\/_console\//);
      expect(res.headers.location).not.toContain('evil');
    }
  });

  it('rate-limits validation per user', async () => {
    const limited = await makeConsoleApp({ validateLimits: { perUser: 2, perAddress: 100 } });
    try {
      const client = new ConsoleClient(limited.app);
      await client.signIn('dev');
      const csrf = csrfOf((await client.get('/_console/validate')).text);
      const form = { _csrf: csrf, target: 'policy:standard', stix: '{"objects":[]}' };
      expect((await client.post('/_console/validate', form)).status).toBe(422);
      expect((await client.post('/_console/validate', form)).status).toBe(422);
      const refused = await client.post('/_console/validate', form);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
