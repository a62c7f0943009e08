/**
 * Signing in and out. Sign-in takes a Taxiway user name and password only (API keys are for
 * machines), counts failures in the process's login throttle together with TAXII logins, and
 * starts a new session (never one the browser brought along).
 */
import express, { type Request, type Response, type Router } from 'express';
import { LoginThrottled } from '../../auth/failures';
import { clearCookie, LOGIN_COOKIE } from '../cookies';
import { CSRF_FIELD, csrfToken, csrfTokenValid, existingLoginBinding, loginBinding, sessionBinding } from '../csrf';
import type { ConsoleContext } from '../deps';
import { safeNext } from '../urls';
import { base, layoutFor, queryText, sendPage } from './common';

const MAX_USER_LENGTH = 128;
const MAX_PASSWORD_LENGTH = 1024;

function field(body: unknown, name: string): string {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

export function signInRoutes(router: Router, ctx: ConsoleContext): void {
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 });

  function renderForm(req: Request, res: Response, status: number, messages: { error?: string; notice?: string; userName?: string; next?: string }): void {
    const b = base(req);
    sendPage(ctx, res, status, 'sign-in', {
      ...layoutFor(req, 'Sign in'),
      action: `${b}/sign-in`,
      csrf: csrfToken(ctx.keys[0], loginBinding(req, res)),
      next: safeNext(b, messages.next ?? queryText(req, 'next')),
      userName: (messages.userName ?? '').slice(0, MAX_USER_LENGTH),
      error: messages.error,
      notice: messages.notice,
    });
  }

  router.get('/sign-in', (req, res) => {
    if (req.consoleSession) return res.redirect(303, safeNext(base(req), queryText(req, 'next')));
    let notice: string | undefined;
    if (queryText(req, 'signed_out') === '1') notice = 'You are signed out.';
    else if (req.consoleSessionEnded || queryText(req, 'ended') === '1') notice = 'Your session has ended. Sign in again.';
    renderForm(req, res, 200, { notice });
  });

  router.post('/sign-in', form, async (req, res) => {
    const user = field(req.body, 'user').slice(0, MAX_USER_LENGTH);
    const password = field(req.body, 'password');
    const next = field(req.body, 'next');
    const binding = existingLoginBinding(req);
    if (binding === undefined || !csrfTokenValid(field(req.body, CSRF_FIELD), ctx.keys, binding)) {
      return renderForm(req, res, 403, { error: 'The sign-in form had expired or did not come from this site. Please try again.', userName: user, next });
    }
    if (user === '' || password === '' || password.length > MAX_PASSWORD_LENGTH) {
      return renderForm(req, res, 400, { error: 'Enter your user name and password.', userName: user, next });
    }
    const attempt = { address: req.ip ?? 'unknown', user };
    try {
      await ctx.throttle?.beforeAttempt(attempt);
    } catch (err) {
      if (!(err instanceof LoginThrottled)) throw err;
      res.setHeader('Retry-After', String(err.retryAfterSeconds));
      ctx.logger.warn('login throttled', { requestId: req.requestId, user, ip: req.ip, retryAfterSeconds: err.retryAfterSeconds, via: 'console' });
      // The throttle may also refuse because too many password checks are waiting (`reason: 'busy'`).
      const busy = 'reason' in err && err.reason === 'busy';
      const why = busy ? 'The server is busy checking passwords.' : 'Too many failed sign-ins.';
      return renderForm(req, res, 429, { error: `${why} Try again in ${err.retryAfterSeconds} seconds.`, userName: user, next });
    }
    const principal = await ctx.users.verify(user, password);
    // A session is only for users of the configuration (it re-reads them on every request).
    if (!principal || principal.user !== user || !ctx.sessions.start(req, res, user)) {
      await ctx.throttle?.recordFailure(attempt);
      ctx.logger.warn('failed login', { requestId: req.requestId, user, reason: 'wrong user name or password', ip: req.ip, via: 'console' });
      return renderForm(req, res, 401, { error: 'The user name or password is not right.', userName: user, next });
    }
    await ctx.throttle?.recordSuccess(attempt);
    // The sign-in binding is spent: a later sign-in in this browser gets a new one.
    clearCookie(req, res, LOGIN_COOKIE);
    ctx.logger.info('console sign-in', { requestId: req.requestId, user, ip: req.ip });
    res.redirect(303, safeNext(base(req), next));
  });

  router.post('/sign-out', form, (req, res) => {
    const session = req.consoleSession;
    if (session) {
      if (!csrfTokenValid(field(req.body, CSRF_FIELD), ctx.keys, sessionBinding(session.claims.sid))) {
        return sendPage(ctx, res, 403, 'error', { ...layoutFor(req, 'Not signed out'), heading: 'Not signed out', message: 'The sign-out form had expired or did not come from this site. Reload the page and try again.' });
      }
      ctx.sessions.end(req, res);
    }
    res.redirect(303, `${base(req)}/sign-in?signed_out=1`);
  });
}
