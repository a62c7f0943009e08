import type { Principal } from '../auth/principal';
import type { SessionClaims } from './session-token';

/** A signed-in console user, resolved from the session cookie and the current configuration. */
export interface ConsoleSession {
  principal: Principal & { user: string };
  claims: SessionClaims;
  /** The CSRF token forms of this session carry. */
  csrfToken: string;
}

declare global {
  // Express request fields the console sets once per request.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      consoleSession?: ConsoleSession;
      /** A session cookie came with the request but is no longer valid (expired, revoked, forged). */
      consoleSessionEnded?: boolean;
    }
  }
}

export {};
