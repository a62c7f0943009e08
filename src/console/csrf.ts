/**
 * Cross-site request forgery defences for every POST, sign-in included: an Origin check and a
 * token. Tokens are HMACs of a per-browser binding (the session id once signed in, a random
 * cookie before) under a server key, so nothing is stored server-side and any instance holding the
 * keys accepts them; a token from another session or browser does not verify.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { ServerConfig } from '../config/types';
import { LOGIN_COOKIE, readCookie, setCookie } from './cookies';
import type { SessionKey } from './keys';
import { sameText } from './session-token';

export const CSRF_FIELD = '_csrf';

export function csrfToken(key: SessionKey, binding: string): string {
  return createHmac('sha256', key.csrf).update(binding).digest('base64url');
}

/** Whether `token` is the token of `binding` under any key in force (rotation). */
export function csrfTokenValid(token: unknown, keys: readonly SessionKey[], binding: string): boolean {
  if (typeof token !== 'string' || token.length > 100) return false;
  return keys.some((key) => sameText(csrfToken(key, binding), token));
}

/** The binding of the sign-in form: the login cookie's value, set here when missing. */
export function loginBinding(req: Request, res: Response): string {
  const existing = readCookie(req, LOGIN_COOKIE);
  if (existing !== undefined && /^[A-Za-z0-9_-]{43}$/.test(existing)) return `login:${existing}`;
  const fresh = randomBytes(32).toString('base64url');
  setCookie(req, res, LOGIN_COOKIE, fresh);
  return `login:${fresh}`;
}

/** The binding a POST must match, without creating one (a POST with no login cookie has none). */
export function existingLoginBinding(req: Request): string | undefined {
  const value = readCookie(req, LOGIN_COOKIE);
  return value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value) ? `login:${value}` : undefined;
}

export function sessionBinding(sid: string): string {
  return `session:${sid}`;
}

function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Whether a POST comes from the console's own pages: its Origin (else its Referer) must be this
 * server as the request addressed it, or `server.public_base_url`. Browsers send Origin on every
 * POST (the console's Referrer-Policy keeps it from being `null`); a request with neither header
 * is refused, as is any fetch the browser marks as cross-site.
 */
export function sameOrigin(req: Request, server: Pick<ServerConfig, 'public_base_url'>): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const allowed = new Set<string>();
  const own = originOf(`${req.protocol}://${req.host}`);
  if (own) allowed.add(own);
  if (server.public_base_url !== undefined) {
    const configured = originOf(server.public_base_url);
    if (configured) allowed.add(configured);
  }
  const origin = req.headers.origin;
  if (origin !== undefined) return allowed.has(origin);
  const referer = req.headers.referer;
  if (referer === undefined) return false;
  const from = originOf(referer);
  return from !== undefined && allowed.has(from);
}
