/**
 * How authentication fails, in the terms of auth. The HTTP layer turns these into 401 (with the
 * challenges Taxiway offers) and 429 (with Retry-After) in one place, `src/http/error-handler.ts`.
 */

/** No valid credentials: a malformed header, a wrong password, an unknown or expired key. */
export class AuthenticationFailed extends Error {
  override readonly name = 'AuthenticationFailed';
}

/** Too many failed sign-ins from this client (or for this user from it): try again later. */
export class LoginThrottled extends Error {
  override readonly name = 'LoginThrottled';

  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed sign-ins; retry in ${retryAfterSeconds} s`);
  }
}
