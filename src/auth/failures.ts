/**
 * How authentication fails, in the terms of auth. The HTTP layer turns these into 401 (with the
 * challenges Taxiway offers) and 429 (with Retry-After) in one place, `src/http/error-handler.ts`.
 */

/** No valid credentials: a malformed header, a wrong password, an unknown or expired key. */
export class AuthenticationFailed extends Error {
  override readonly name = 'AuthenticationFailed';
}

/**
 * A sign-in refused before its credentials were checked: `failures` when this client (or this user
 * from it) failed too often, `busy` when too many password checks already wait in this process.
 */
export class LoginThrottled extends Error {
  override readonly name = 'LoginThrottled';

  constructor(
    readonly retryAfterSeconds: number,
    readonly reason: 'failures' | 'busy' = 'failures',
  ) {
    super(reason === 'busy' ? `too many sign-ins waiting; retry in ${retryAfterSeconds} s` : `too many failed sign-ins; retry in ${retryAfterSeconds} s`);
  }
}
