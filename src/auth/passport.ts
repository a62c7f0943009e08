import { Passport, type Strategy } from 'passport';
import { BasicStrategy } from 'passport-http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type winston from 'winston';
import { systemClock, type Clock } from '../clock';
import type { TaxiwayConfig } from '../config/types';
import { DerivationLimiter } from './derivations';
import { AuthenticationFailed, LoginThrottled } from './failures';
import { KeyDirectory } from './keys';
import { ANONYMOUS, type Principal } from './principal';
import { SignIn, type SignInOutcome } from './signin';
import { createLoginThrottle, type LoginThrottle } from './throttle';
import { UserDirectory, type AuthProvider } from './users';

/** The actions passport attaches to a strategy instance for each authentication attempt. */
interface StrategyActions {
  success(user: Principal): void;
  fail(challenge: SignInOutcome, status: number): void;
  error(err: Error): void;
}

/** Express's client address honours `server.trust_proxy`; a socket already gone has none. */
function addressOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

function settle(actions: StrategyActions, outcome: Promise<SignInOutcome>): void {
  outcome.then(
    (o) => (o.principal ? actions.success(o.principal) : actions.fail(o, 401)),
    (err: unknown) => actions.error(err instanceof Error ? err : new Error(String(err))),
  );
}

/**
 * HTTP Basic: a user name and a password, or an API key as the password of its user. passport-http's
 * own Basic strategy splits credentials on every ':' (so a password containing one is cut short) and
 * accepts any scheme containing "Basic"; this subclass parses the header as RFC 7617 says: the
 * scheme is exactly `Basic` (any case) and the user id ends at the first ':'.
 */
class StrictBasicStrategy extends BasicStrategy {
  constructor(private readonly signIn: SignIn) {
    super((_user: string, _password: string, done: (err: unknown, user?: Principal | false) => void) => done(null, false));
  }

  override authenticate(req: Request): void {
    const actions = this as unknown as StrategyActions;
    const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(req.headers.authorization ?? '');
    if (!match) return settle(actions, this.signIn.unreadable(addressOf(req), 'malformed or non-Basic Authorization header'));
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return settle(actions, this.signIn.unreadable(addressOf(req), 'Basic credentials must be user:password'));
    const user = decoded.slice(0, colon);
    req.attemptedUser = user.slice(0, 128);
    settle(actions, this.signIn.password(addressOf(req), user, decoded.slice(colon + 1)));
  }
}

/** `Authorization: Bearer KEY` (RFC 6750) or `Token KEY` (taxii2-client's TokenAuth). Never a query parameter or body field. */
class ApiKeyStrategy implements Strategy {
  readonly name = 'apikey';

  constructor(private readonly signIn: SignIn) {}

  authenticate(req: Request): void {
    const actions = this as unknown as StrategyActions;
    const match = /^(?:Bearer|Token) +([A-Za-z0-9._~+/-]+=*) *$/i.exec(req.headers.authorization ?? '');
    if (!match) return settle(actions, this.signIn.unreadable(addressOf(req), 'malformed Bearer or Token Authorization header'));
    settle(actions, this.signIn.key(addressOf(req), match[1]));
  }
}

/**
 * Resolves `req.principal` for every request. No Authorization header means anonymous (each route
 * then decides whether anonymous access is allowed). Any Authorization header must carry valid
 * credentials of an enabled user (Basic, or an API key as Bearer or Token): a wrong one gets 401 and
 * never falls back to anonymous access, and a client that failed too often gets 429.
 */
export interface AuthenticationOptions {
  config: TaxiwayConfig;
  logger: winston.Logger;
  /**
   * Shared by every app built in this process (it outlives configuration reloads). Without one,
   * each app counts failures on its own (`auth.throttle`, in this process's memory).
   */
  throttle?: LoginThrottle;
  /** Replaces the configured users' passwords (tests); API keys still come from the configuration. */
  provider?: AuthProvider;
  /** Decides which API keys have expired. */
  clock?: Clock;
}

export function authenticationMiddleware(options: AuthenticationOptions): RequestHandler {
  const { config, logger } = options;
  const throttle = options.throttle ?? createLoginThrottle(config.auth.throttle);
  const passwords =
    options.provider ??
    new UserDirectory(config.users, { cacheTtlMs: config.auth.cache_seconds * 1000, derivations: new DerivationLimiter(config.auth.max_concurrent_derivations) });
  const signIn = new SignIn({ passwords, keys: new KeyDirectory(config.users, options.clock ?? systemClock), throttle });
  const passport = new Passport();
  passport.use('basic', new StrictBasicStrategy(signIn));
  passport.use('apikey', new ApiKeyStrategy(signIn));
  // No passport.initialize(): in passport 0.7 every authenticate middleware sets up the same
  // request helpers itself, so initialize only did that work twice on every request.
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    if (header === undefined) {
      req.principal = ANONYMOUS;
      return next();
    }
    const strategy = /^(?:Bearer|Token)(?: |$)/i.test(header) ? 'apikey' : 'basic';
    passport.authenticate(strategy, { session: false }, (err: unknown, principal: Principal | false, info: SignInOutcome | undefined) => {
      if (err instanceof LoginThrottled) {
        logger.warn('login throttled', { requestId: req.requestId, user: req.attemptedUser, ip: req.ip, reason: err.reason, retryAfterSeconds: err.retryAfterSeconds });
      }
      if (err) return next(err);
      if (!principal) {
        const reason = info?.failure ?? 'rejected';
        logger.warn('failed login', { requestId: req.requestId, user: info?.user ?? req.attemptedUser, reason, ip: req.ip, keyId: info?.keyId });
        return next(new AuthenticationFailed(reason));
      }
      req.principal = principal;
      next();
    })(req, res, next);
  };
}
