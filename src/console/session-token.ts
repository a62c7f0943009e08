/**
 * The session cookie's value: stateless, so any worker or instance holding the keys accepts it.
 * `base64url(JSON claims) "." base64url(HMAC-SHA256)`. The claims are readable by whoever holds
 * the cookie (it is HttpOnly, so not by page scripts); nothing secret is in them: the fingerprint is
 * an HMAC of the password hash under a server key, useless without that key.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SessionKey } from './keys';

export interface SessionClaims {
  /** The user name. */
  u: string;
  /** Random session id: binds CSRF tokens to this session. */
  sid: string;
  /** Issued at, seconds since the epoch (absolute lifetime). */
  iat: number;
  /** Last seen, seconds since the epoch (idle timeout); refreshed as the user works. */
  seen: number;
  /** Fingerprint of the user's password hash when the session began. */
  fp: string;
}

const MAX_TOKEN_LENGTH = 2048;

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

export function signSession(claims: SessionClaims, key: SessionKey): string {
  const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${payload}.${mac(key.session, payload).toString('base64url')}`;
}

function isClaims(value: unknown): value is SessionClaims {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return typeof c.u === 'string' && typeof c.sid === 'string' && typeof c.fp === 'string' && Number.isSafeInteger(c.iat) && Number.isSafeInteger(c.seen);
}

/** The claims and the key that verified them, or undefined for anything not signed by one of `keys`. */
export function verifySession(token: string, keys: readonly SessionKey[]): { claims: SessionClaims; key: SessionKey } | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const payload = token.slice(0, dot);
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');
  const key = keys.find((k) => {
    const expected = mac(k.session, payload);
    return expected.length === signature.length && timingSafeEqual(expected, signature);
  });
  if (!key) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  return isClaims(claims) ? { claims, key } : undefined;
}

/** Fingerprint of a user's password hash: changes when the password (or its hash) changes. */
export function passwordFingerprint(user: string, passwordHash: string, key: SessionKey): string {
  return createHmac('sha256', key.fingerprint).update(user).update('\0').update(passwordHash).digest().subarray(0, 16).toString('base64url');
}

/** Constant-time comparison of two short ASCII strings. */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
