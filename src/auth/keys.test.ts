import { apiKeyId, digestApiKey, generateApiKey, KeyDirectory } from './keys';
import type { UserConfig } from '../config/types';
import { buildConfig } from '../config/load';
import { testConfigObject, testHash } from '../../test/support/config';

const micros = (iso: string): bigint => BigInt(Date.parse(iso)) * 1000n;

function user(name: string, keys: { id: string; key: string; expires?: string }[], enabled = true): UserConfig {
  return {
    name,
    password_hash: testHash('pw'),
    groups: ['partners'],
    development: false,
    enabled,
    api_keys: keys.map((k) => ({ id: k.id, name: `key ${k.id}`, sha256: digestApiKey(k.key), expires: k.expires })),
  };
}

describe('API key format', () => {
  test('twk_, an 8-character id, and 43 base64url characters of 32 random bytes', () => {
    const made = generateApiKey();
    expect(made.key).toMatch(/^twk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(made.key.startsWith(`twk_${made.id}_`)).toBe(true);
    expect(Buffer.from(made.key.slice(13), 'base64url')).toHaveLength(32);
    expect(made.sha256).toBe(digestApiKey(made.key));
    expect(made.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(apiKeyId(made.key)).toBe(made.id);
    expect(generateApiKey().key).not.toBe(made.key);
  });

  test.each(['twk_abcdefgh_short', `twk_ABCDEFGH_${'a'.repeat(43)}`, `twk_abcdefgh_${'a'.repeat(44)}`, `xyz_abcdefgh_${'a'.repeat(43)}`, 'alice-pw', ''])('%p is not a key', (text) => {
    expect(apiKeyId(text)).toBeUndefined();
  });

  test('ids already taken are not handed out again', () => {
    const taken = new Set<string>();
    for (let i = 0; i < 200; i++) taken.add(generateApiKey(taken).id);
    expect(taken.size).toBe(200);
  });
});

describe('KeyDirectory', () => {
  const good = generateApiKey();
  const expiring = generateApiKey();
  const disabled = generateApiKey();
  let now = micros('2030-01-01T00:00:00Z');
  const dir = new KeyDirectory(
    [
      user('alice', [
        { id: good.id, key: good.key },
        { id: expiring.id, key: expiring.key, expires: '2030-06-01T00:00:00Z' },
      ]),
      user('off', [{ id: disabled.id, key: disabled.key }], false),
    ],
    () => now,
  );

  test("a valid key signs in as its user, with the user's groups and the key id", () => {
    expect(dir.check(good.key)).toEqual({ principal: { user: 'alice', groups: ['partners', '$authenticated'], keyId: good.id } });
    expect(dir.ownerOf(good.id)).toBe('alice');
    expect(dir.ownerOf('zzzzzzzz')).toBeUndefined();
  });

  test('a key expires at its expiry time by the injected clock', () => {
    expect(dir.check(expiring.key)).toHaveProperty('principal');
    now = micros('2030-06-01T00:00:00Z');
    expect(dir.check(expiring.key)).toEqual({ failure: 'expired API key' });
  });

  test('wrong secret, unknown id, malformed key and a disabled user all fail', () => {
    const wrongSecret = `${good.key.slice(0, 13)}${'A'.repeat(43)}`;
    expect(dir.check(wrongSecret)).toEqual({ failure: 'wrong API key secret' });
    expect(dir.check(generateApiKey().key)).toEqual({ failure: 'unknown API key' });
    expect(dir.check('not-a-key')).toEqual({ failure: 'malformed API key' });
    expect(dir.check(disabled.key)).toEqual({ failure: 'API key of a disabled user' });
  });
});

describe('API keys in the configuration', () => {
  test('config check refuses an id used twice (even by two users) and an expiry that is no real time', () => {
    const k = generateApiKey();
    const raw = testConfigObject();
    const users = raw.users as Record<string, unknown>[];
    users[0].api_keys = [{ id: k.id, name: 'a', sha256: k.sha256, expires: '2027-02-30T00:00:00Z' }];
    users[1].api_keys = [{ id: k.id, name: 'b', sha256: k.sha256 }];
    expect(() => buildConfig(raw)).toThrow(/users\[0\]\.api_keys\[0\]\.expires: '2027-02-30T00:00:00Z' is not a valid UTC time[\s\S]*users\[1\]\.api_keys\[0\]\.id: duplicate API key id '[a-z0-9]{8}' \(also users\[0\]\.api_keys\[0\]\)/);
  });
});
