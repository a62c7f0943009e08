import { randomBytes } from 'node:crypto';
import { keyRing } from './keys';
import { passwordFingerprint, signSession, verifySession, type SessionClaims } from './session-token';

const ring = (...secrets: string[]) => keyRing({ enabled: true, session_keys: secrets, session_hours: 8, idle_minutes: 30 }, { fallback: randomBytes(32) });
const claims: SessionClaims = { u: 'alice', sid: 'abc', iat: 1_700_000_000, seen: 1_700_000_100, fp: 'fingerprint' };
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('session tokens', () => {
  it('round-trips claims signed with the first key', () => {
    const [key] = ring(A);
    expect(verifySession(signSession(claims, key), [key])?.claims).toEqual(claims);
  });

  it('verifies with any listed key and reports which one', () => {
    const [oldKey] = ring(A);
    const rotated = ring(B, A);
    const verified = verifySession(signSession(claims, oldKey), rotated);
    expect(verified?.key).toBe(rotated[1]);
    expect(verifySession(signSession(claims, oldKey), ring(B))).toBeUndefined();
  });

  it('refuses altered payloads, signatures and junk', () => {
    const [key] = ring(A);
    const token = signSession(claims, key);
    const [payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, u: 'admin' })).toString('base64url');
    for (const bad of [`${forged}.${signature}`, `${payload}.${signature.slice(0, -2)}`, `${payload}.`, '', 'x'.repeat(5000), `${payload}.${signature}.x`]) {
      expect(verifySession(bad, [key])).toBeUndefined();
    }
    const notClaims = Buffer.from('{"u":1}').toString('base64url');
    expect(verifySession(signSession({ ...claims, iat: Number.NaN }, key), [key])).toBeUndefined();
    expect(verifySession(`${notClaims}.${signature}`, [key])).toBeUndefined();
  });

  it('derives separate keys per purpose and per secret', () => {
    const [a] = ring(A);
    const [b] = ring(B);
    expect(a.session.equals(a.csrf)).toBe(false);
    expect(a.session.equals(b.session)).toBe(false);
  });

  it('fingerprints the password hash, never the same for another hash or user', () => {
    const [key] = ring(A);
    const fp = passwordFingerprint('alice', '$scrypt$one', key);
    expect(passwordFingerprint('alice', '$scrypt$one', key)).toBe(fp);
    expect(passwordFingerprint('alice', '$scrypt$two', key)).not.toBe(fp);
    expect(passwordFingerprint('bob', '$scrypt$one', key)).not.toBe(fp);
    expect(fp).not.toContain('scrypt');
  });
});
