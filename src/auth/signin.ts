import { apiKeyId, type KeyDirectory } from './keys';
import type { Principal } from './principal';
import type { LoginAttempt, LoginThrottle } from './throttle';
import type { AuthProvider } from './users';

/** A sign-in's result; everything but `principal` is for the log line of a failure. */
export interface SignInOutcome {
  principal?: Principal;
  failure?: string;
  /** The user the attempt named (or whose key it presented). */
  user?: string;
  keyId?: string;
}

export interface SignInDeps {
  passwords: AuthProvider;
  keys: KeyDirectory;
  throttle: LoginThrottle;
}

/**
 * Every way of signing in, each through the same throttle: the address or (user, address) pair is
 * checked before any secret is, so a locked-out client learns nothing from a correct guess; every
 * refusal is counted. `LoginThrottled` propagates to the caller. Used by the HTTP strategies and
 * meant for the console's sign-in form too.
 */
export class SignIn {
  constructor(private readonly deps: SignInDeps) {}

  /**
   * A user name and a password, or an API key given as its user's password (clients that only
   * speak Basic, such as Sentinel and MISP, send keys this way). Anything shaped like a key is
   * checked as a key only.
   */
  async password(address: string, user: string, secret: string): Promise<SignInOutcome> {
    if (apiKeyId(secret) !== undefined) return this.key(address, secret, user);
    const { passwords, throttle } = this.deps;
    const attempt: LoginAttempt = { address, user };
    const cached = passwords.cachedLogin?.(user, secret) ?? null;
    await throttle.beforeAttempt(attempt, { slowdown: cached === null });
    const principal = cached ?? (await passwords.verify(user, secret, { suspect: () => throttle.isSuspect(attempt) }));
    return this.settle(attempt, principal ? { principal } : { failure: 'wrong user name or password' });
  }

  /** An API key; with `claimedUser` (from Basic) it must be that user's key. */
  async key(address: string, key: string, claimedUser?: string): Promise<SignInOutcome> {
    const { keys, throttle } = this.deps;
    const keyId = apiKeyId(key);
    const attempt: LoginAttempt = { address, user: claimedUser ?? (keyId === undefined ? undefined : keys.ownerOf(keyId)) };
    let check = keys.check(key);
    if ('principal' in check && claimedUser !== undefined && check.principal.user !== claimedUser) check = { failure: `API key of another user (${check.principal.user})` };
    // Checking a key costs one SHA-256, so it is checked first; the throttle still refuses before the result is used.
    await throttle.beforeAttempt(attempt, { slowdown: !('principal' in check) });
    return { ...(await this.settle(attempt, check)), keyId };
  }

  /** Credentials that could not even be read (malformed header, missing user name): the address pays. */
  async unreadable(address: string, failure: string): Promise<SignInOutcome> {
    const attempt: LoginAttempt = { address };
    await this.deps.throttle.beforeAttempt(attempt);
    return this.settle(attempt, { failure });
  }

  private async settle(attempt: LoginAttempt, check: { principal: Principal } | { failure: string }): Promise<SignInOutcome> {
    if ('principal' in check) {
      await this.deps.throttle.recordSuccess(attempt);
      return { principal: check.principal, user: attempt.user };
    }
    await this.deps.throttle.recordFailure(attempt);
    return { failure: check.failure, user: attempt.user };
  }
}
