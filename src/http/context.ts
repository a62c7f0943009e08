import type { Principal } from '../auth/principal';

declare global {
  // Express request fields Taxiway sets once per request (request id, authenticated caller).
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      requestId: string;
      principal: Principal;
      /** User name from a failed Basic login, for the log line (never the password). */
      attemptedUser?: string;
    }
  }
}

export {};
