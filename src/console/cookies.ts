/**
 * The console's cookies. Both are HttpOnly and SameSite=Strict, scoped to the console's path (TAXII
 * requests never carry them), and Secure whenever the request arrived over HTTPS (directly or
 * through a trusted proxy: `req.secure`), so a plain-HTTP development server still works.
 */
import type { CookieOptions, Request, Response } from 'express';
import { parseCookie } from 'cookie';

/** The signed session. */
export const SESSION_COOKIE = 'taxiway_session';
/** A random value binding the sign-in form's CSRF token to this browser before there is a session. */
export const LOGIN_COOKIE = 'taxiway_login';

function options(req: Request): CookieOptions {
  // A session cookie (no Max-Age): the server enforces the lifetimes, the browser drops it on exit.
  return { httpOnly: true, sameSite: 'strict', secure: req.secure, path: req.baseUrl || '/' };
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  return parseCookie(header)[name];
}

export function setCookie(req: Request, res: Response, name: string, value: string): void {
  res.cookie(name, value, options(req));
}

export function clearCookie(req: Request, res: Response, name: string): void {
  res.clearCookie(name, options(req));
}
