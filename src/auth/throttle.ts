/**
 * The login throttle: one per process, shared by every way of signing in (HTTP Basic, API keys,
 * the console's sign-in form), so failures counted by one slow down and refuse the others.
 */

/** One sign-in attempt: the client address (after `server.trust_proxy`) and the user it names, if any. */
export interface LoginAttempt {
  address: string;
  user?: string;
}

export interface LoginThrottle {
  /**
   * Before credentials are verified: rejects with `LoginThrottled` (src/auth/failures.ts) when the
   * address, or the user from that address, has failed too often; otherwise resolves, after a delay
   * when the user has recent failures from elsewhere (they are slowed, never locked out).
   */
  beforeAttempt(attempt: LoginAttempt): Promise<void>;
  /** After credentials were refused. */
  recordFailure(attempt: LoginAttempt): Promise<void>;
  /** After credentials were accepted: forgets the failures of that user from that address. */
  recordSuccess(attempt: LoginAttempt): Promise<void>;
  /** Whether the attempt comes with recent failures (its password derivation may wait behind clean ones). */
  isSuspect(attempt: LoginAttempt): boolean;
}
