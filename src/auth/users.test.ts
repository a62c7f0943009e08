import { parsePasswordHash } from '../config/password-hash';
import { hashPassword, verifyPassword } from './passwords';
import { DerivationLimiter } from './derivations';
import { UserDirectory } from './users';
import { testHash } from '../../test/support/config';

const user = (name: string, password: string, extra: Partial<{ groups: string[]; enabled: boolean }> = {}) => ({
  name,
  password_hash: testHash(password),
  groups: extra.groups ?? [],
  development: false,
  enabled: extra.enabled ?? true,
  api_keys: [],
});

describe('password hashes', () => {
  test('hash-password output verifies, and only for the right password', async () => {
    const hash = await hashPassword('correct horse', { N: 1024, r: 8, p: 1 });
    const parsed = parsePasswordHash(hash);
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(await verifyPassword('correct horse', parsed)).toBe(true);
    expect(await verifyPassword('correct horsf', parsed)).toBe(false);
    expect(hash).not.toContain('correct');
  });

  test.each(['plain', '$scrypt$N=1000,r=8,p=1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5', '$scrypt$N=1024,r=8,p=1$YQ==$a2V5a2V5a2V5a2V5a2V5a2V5'])('refuses %s', (h) => {
    expect(typeof parsePasswordHash(h)).toBe('string');
  });
});

describe('UserDirectory', () => {
  test('verifies users, adds the $authenticated group, ignores disabled users', async () => {
    const dir = new UserDirectory([user('a', 'pw', { groups: ['g'] }), user('off', 'pw', { enabled: false })]);
    expect(await dir.verify('a', 'pw')).toEqual({ user: 'a', groups: ['g', '$authenticated'] });
    expect(await dir.verify('a', 'wrong')).toBeNull();
    expect(await dir.verify('off', 'pw')).toBeNull();
    expect(await dir.verify('nobody', 'pw')).toBeNull();
  });

  test('caches verified logins only, bounded, with expiry', async () => {
    let now = 0;
    const dir = new UserDirectory([user('a', 'pw'), user('b', 'pw'), user('c', 'pw')], { cacheSize: 2, cacheTtlMs: 1000, now: () => now });
    await dir.verify('a', 'wrong');
    expect(dir.cachedLogins).toBe(0);
    await dir.verify('a', 'pw');
    await dir.verify('b', 'pw');
    await dir.verify('c', 'pw');
    expect(dir.cachedLogins).toBe(2);
    now = 5000;
    expect(await dir.verify('c', 'pw')).not.toBeNull();
    expect(await dir.verify('c', 'other')).toBeNull();
    dir.clearCache();
    expect(dir.cachedLogins).toBe(0);
  });

  test('a cached login is keyed by user and password together', async () => {
    const dir = new UserDirectory([user('a', 'pw'), user('b', 'pw2')]);
    await dir.verify('a', 'pw');
    expect(await dir.verify('b', 'pw')).toBeNull();
  });
});

describe('UserDirectory and the derivation cap', () => {
  test('cached logins answer at once while every derivation slot is taken; others wait for a slot', async () => {
    const derivations = new DerivationLimiter(1);
    const dir = new UserDirectory([user('a', 'pw'), user('b', 'pw')], { derivations });
    await dir.verify('a', 'pw');
    let release = (): void => undefined;
    const held = derivations.run(() => new Promise<void>((resolve) => (release = resolve)));
    expect(dir.cachedLogin('a', 'pw')).toEqual({ user: 'a', groups: ['$authenticated'] });
    expect(dir.cachedLogin('a', 'wrong')).toBeNull();
    expect(await dir.verify('a', 'pw')).not.toBeNull();
    let uncached: unknown = 'pending';
    const pending = dir.verify('b', 'pw').then((p) => (uncached = p));
    await new Promise((resolve) => setImmediate(resolve));
    expect([uncached, derivations.waiting]).toEqual(['pending', 1]);
    release();
    await held;
    await pending;
    expect(uncached).toEqual({ user: 'b', groups: ['$authenticated'] });
  });

  test('a cache TTL of 0 (auth.cache_seconds: 0) remembers nothing', async () => {
    const dir = new UserDirectory([user('a', 'pw')], { cacheTtlMs: 0 });
    expect(await dir.verify('a', 'pw')).not.toBeNull();
    expect(dir.cachedLogins).toBe(0);
    expect(dir.cachedLogin('a', 'pw')).toBeNull();
  });
});
