/**
 * The console's routes, in the order a request meets them: security headers, static files (public),
 * the session, the sign-in pages, then everything else for signed-in users only, and the console's
 * own 404 and error pages. Every request under the console's path ends here: none falls through to
 * the TAXII routes, and none is authenticated by an Authorization header.
 */
import { Router, type RequestHandler } from 'express';
import { StatsService } from '../services/stats';
import { StatusService } from '../services/statuses';
import { UserDirectory } from '../auth/users';
import { systemClock } from '../clock';
import { assetsRouter } from './assets';
import { sameOrigin } from './csrf';
import type { ConsoleContext, ConsoleDeps } from './deps';
import { consoleErrorHandler, consoleNotFound } from './error-pages';
import { ConsoleError } from './errors';
import { keyRing } from './keys';
import { ValidateLimiter } from './limiter';
import { collectionRoutes } from './pages/collection';
import { base } from './pages/common';
import { objectRoutes } from './pages/object';
import { overviewRoutes } from './pages/overview';
import { pushesRoutes } from './pages/pushes';
import { signInRoutes } from './pages/sign-in';
import { validateRoutes } from './pages/validate';
import { securityHeaders } from './security';
import { Sessions } from './sessions';
import { Views } from './views';

function context(deps: ConsoleDeps): ConsoleContext {
  const keys = keyRing(deps.config.console, deps.keys);
  const clock = deps.clock ?? systemClock;
  return {
    config: deps.config,
    catalog: deps.catalog,
    objects: deps.objects,
    ingest: deps.ingest,
    store: deps.store,
    stats: deps.stats ?? new StatsService(deps.store),
    statuses: deps.statuses ?? new StatusService(deps.store),
    throttle: deps.throttle,
    users: deps.users ?? new UserDirectory(deps.config.users),
    logger: deps.logger,
    clock,
    keys,
    sessions: new Sessions({ console: deps.config.console, users: deps.config.users, keys, clock }),
    views: new Views(),
    limiter: deps.validateLimiter ?? new ValidateLimiter(),
  };
}

/** The console is read-only: GET and HEAD read, POST only signs in and out and validates. */
const methods: RequestHandler = (req, _res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'POST') return next();
  throw new ConsoleError(405, 'Method not allowed', 'The console only reads; use the TAXII API to change data.', { Allow: 'GET, HEAD, POST' });
};

export function consoleRouter(deps: ConsoleDeps): Router {
  const ctx = context(deps);
  const router = Router({ caseSensitive: true });
  router.use(securityHeaders());
  router.use(methods);
  router.use((req, _res, next) => {
    // Every POST, sign-in included, must come from the console's own pages.
    if (req.method === 'POST' && !sameOrigin(req, ctx.config.server)) {
      throw new ConsoleError(403, 'Refused', 'This form did not come from this site, so it was not accepted.');
    }
    next();
  });
  router.use(assetsRouter());
  router.use(ctx.sessions.middleware());
  signInRoutes(router, ctx);
  router.use((req, res, next) => {
    if (req.consoleSession) return next();
    if (req.method === 'POST') throw new ConsoleError(403, 'Signed out', 'Your session has ended, so the form was not accepted. Sign in again.');
    const query = new URLSearchParams({ next: req.originalUrl });
    if (req.consoleSessionEnded) query.set('ended', '1');
    res.redirect(303, `${base(req)}/sign-in?${query.toString()}`);
  });
  overviewRoutes(router, ctx);
  collectionRoutes(router, ctx);
  objectRoutes(router, ctx);
  pushesRoutes(router, ctx);
  validateRoutes(router, ctx);
  router.use(consoleNotFound());
  router.use(consoleErrorHandler(ctx));
  return router;
}
