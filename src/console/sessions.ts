/**
 * Console sessions: who a request comes from, decided on every request from the signed cookie and
 * the configuration in force. The user must still be configured and enabled, with the same
 * password hash as when the session began (the fingerprint), so disabling a user or changing a
 * password ends their sessions at once; their groups, and so their rights, are read anew each time.
 */
import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ANONYMOUS } from '../auth/principal';
import type { Clock } from '../clock';
import { AUTHENTICATED_GROUP } from '../config/semantics';
import type { ConsoleConfig, UserConfig } from '../config/types';
import './context';
import { clearCookie, readCookie, SESSION_COOKIE, setCookie } from './cookies';
import { csrfToken, sessionBinding } from './csrf';
import type { SessionKey } from './keys';
import { passwordFingerprint, sameText, signSession, verifySession, type SessionClaims } from './session-token';

/** The idle timer is written back at most this often, so most responses carry no Set-Cookie. */
const REFRESH_AFTER_SECONDS = 60;
/** Clock differences between instances tolerated for a session issued "in the future". */
const CLOCK_SKEW_SECONDS = 60;

export interface SessionsOptions {
  console: ConsoleConfig;
  users: readonly UserConfig[];
  /** Signing key first. */
  keys: readonly SessionKey[];
  clock: Clock;
}

export class Sessions {
  private readonly users: ReadonlyMap<string, UserConfig>;

  constructor(private readonly options: SessionsOptions) {
    this.users = new Map(options.users.filter((u) => u.enabled).map((u) => [u.name, u]));
  }

  private now(): number {
    return Number(this.options.clock() / 1_000_000n);
  }

  /** Resolves `req.consoleSession` (and `req.principal`, for the access log) from the cookie. */
  middleware(): RequestHandler {
    return (req, res, next) => {
      req.principal = ANONYMOUS;
      const token = readCookie(req, SESSION_COOKIE);
      if (token === undefined) return next();
      const valid = this.validSession(token);
      if (!valid) {
        req.consoleSessionEnded = true;
        clearCookie(req, res, SESSION_COOKIE);
        return next();
      }
      const { claims, user } = valid;
      const principal = Object.freeze({ user: user.name, groups: Object.freeze([...user.groups, AUTHENTICATED_GROUP]) });
      const now = this.now();
      let current = claims;
      if (now - claims.seen >= REFRESH_AFTER_SECONDS) {
        current = { ...claims, seen: now };
        setCookie(req, res, SESSION_COOKIE, signSession(current, this.options.keys[0]));
      }
      req.principal = principal;
      req.consoleSession = { principal, claims: current, csrfToken: csrfToken(this.options.keys[0], sessionBinding(current.sid)) };
      next();
    };
  }

  /** Claims that are signed, in their lifetimes, and of a user whose password has not changed; and that user. */
  private validSession(token: string): { claims: SessionClaims; user: UserConfig } | undefined {
    const verified = verifySession(token, this.options.keys);
    if (!verified) return undefined;
    const { claims, key } = verified;
    const now = this.now();
    const { session_hours, idle_minutes } = this.options.console;
    if (claims.iat > now + CLOCK_SKEW_SECONDS || now >= claims.iat + session_hours * 3600) return undefined;
    if (now >= claims.seen + idle_minutes * 60) return undefined;
    const user = this.users.get(claims.u);
    if (!user) return undefined;
    // The fingerprint was made with the key that signed the cookie, which may not be the first.
    if (!sameText(passwordFingerprint(user.name, user.password_hash, key), claims.fp)) return undefined;
    return { claims, user };
  }

  /** After a successful sign-in: a new session with a new id (never one the browser brought). */
  start(req: Request, res: Response, userName: string): boolean {
    const user = this.users.get(userName);
    if (!user) return false;
    const key = this.options.keys[0];
    const now = this.now();
    const claims: SessionClaims = { u: user.name, sid: randomBytes(16).toString('base64url'), iat: now, seen: now, fp: passwordFingerprint(user.name, user.password_hash, key) };
    setCookie(req, res, SESSION_COOKIE, signSession(claims, key));
    return true;
  }

  end(req: Request, res: Response): void {
    clearCookie(req, res, SESSION_COOKIE);
  }
}
