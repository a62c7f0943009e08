/**
 * Rate limits of the validation page. Validating up to 1 MiB of STIX costs real CPU, so like
 * sign-in it is limited per user and per client address; the counters are the console's own (a
 * busy validator is not a failed login). Counters live in this process's memory.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface ValidateLimits {
  /** Validations per user per minute. */
  perUser: number;
  /** Validations per client address per minute (several users may share an address). */
  perAddress: number;
}

export const DEFAULT_VALIDATE_LIMITS: ValidateLimits = { perUser: 20, perAddress: 60 };

export class ValidateLimiter {
  private readonly byUser: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;

  constructor(limits: ValidateLimits = DEFAULT_VALIDATE_LIMITS) {
    this.byUser = new RateLimiterMemory({ keyPrefix: 'console-validate-user', points: limits.perUser, duration: 60 });
    this.byAddress = new RateLimiterMemory({ keyPrefix: 'console-validate-address', points: limits.perAddress, duration: 60 });
  }

  /** Counts one validation; resolves to the seconds to wait when over a limit, else undefined. */
  async consume(user: string, address: string): Promise<number | undefined> {
    try {
      await Promise.all([this.byUser.consume(user), this.byAddress.consume(address)]);
      return undefined;
    } catch (err) {
      // The library rejects with its result object when a limit is reached, with an Error otherwise.
      if (err instanceof RateLimiterRes) return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw err;
    }
  }
}
