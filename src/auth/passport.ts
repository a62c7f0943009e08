import { Passport } from 'passport';
import { BasicStrategy } from 'passport-http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type winston from 'winston';
import { AuthenticationFailed } from './failures';
import { ANONYMOUS, type Principal } from './principal';
import type { TaxiwayConfig } from '../config/types';
import type { LoginThrottle } from './throttle';
import { UserDirectory, type AuthProvider } from './users';

/** The actions passport attaches to a strategy instance for each authentication attempt. */
interface StrategyActions {
  success(user: Principal): void;
  fail(challenge: string, status: number): void;
  error(err: Error): void;
}

/**
 * Passport runs Taxiway's sign-in strategies; Basic is this one. passport-http's own Basic strategy
 * splits credentials on every ':' (so a password containing one is cut short) and accepts any scheme
 * containing "Basic"; this subclass parses the header as RFC 7617 says: the scheme is exactly
 * `Basic` (any case) and the user id ends at the first ':'. API keys are a second strategy in the
 * same middleware.
 */
class StrictBasicStrategy extends BasicStrategy {
  constructor(private readonly provider: AuthProvider) {
    super((_user: string, _password: string, done: (err: unknown, user?: Principal | false) => void) => done(null, false));
  }

  override authenticate(req: Request): void {
    const self = this as unknown as StrategyActions;
    const header = req.headers.authorization ?? '';
    const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
    if (!match) return self.fail('malformed or non-Basic Authorization header', 401);
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return self.fail('Basic credentials must be user:password', 401);
    const user = decoded.slice(0, colon);
    req.attemptedUser = user.slice(0, 128);
    this.provider.verify(user, decoded.slice(colon + 1)).then(
      (principal) => (principal ? self.success(principal) : self.fail('wrong user name or password', 401)),
      (err: unknown) => self.error(err instanceof Error ? err : new Error(String(err))),
    );
  }
}

/**
 * Resolves `req.principal` for every request. No Authorization header means anonymous (each route
 * then decides whether anonymous access is allowed). Any Authorization header must be valid Basic
 * credentials of an enabled user: a wrong one gets 401 and never falls back to anonymous access.
 */
export interface AuthenticationOptions {
  config: TaxiwayConfig;
  logger: winston.Logger;
  /** Shared by every app built in this process (it outlives configuration reloads). */
  throttle?: LoginThrottle;
  /** Replaces the configured users (tests). */
  provider?: AuthProvider;
}

export function authenticationMiddleware(options: AuthenticationOptions): RequestHandler {
  const { logger } = options;
  const provider = options.provider ?? new UserDirectory(options.config.users);
  const passport = new Passport();
  passport.use('basic', new StrictBasicStrategy(provider));
  const initialize = passport.initialize();
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.headers.authorization === undefined) {
      req.principal = ANONYMOUS;
      return next();
    }
    initialize(req, res, () => {
      passport.authenticate('basic', { session: false }, (err: unknown, principal: Principal | false, info: unknown) => {
        if (err) return next(err);
        if (!principal) {
          logger.warn('failed login', { requestId: req.requestId, user: req.attemptedUser, reason: typeof info === 'string' ? info : 'rejected', ip: req.ip });
          return next(new AuthenticationFailed(typeof info === 'string' ? info : 'rejected'));
        }
        req.principal = principal;
        next();
      })(req, res, next);
    });
  };
}
