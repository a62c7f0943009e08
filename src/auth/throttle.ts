/**
 * The login throttle: one per process, shared by every way of signing in (HTTP Basic, API keys,
 * the console's sign-in form), so failures counted by one slow down and refuse the others.
 */
import { isIPv6 } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimiterCluster, RateLimiterClusterMaster, RateLimiterMemory, RLWrapperTimeouts, type RateLimiterLike, type RateLimiterRes } from 'rate-limiter-flexible';
import { systemElapsed, type ElapsedClock } from '../clock';
import type { AuthConfig } from '../config/types';
import { LoginThrottled } from './failures';

/** One sign-in attempt: the client address (after `server.trust_proxy`) and the user it names, if any. */
export interface LoginAttempt {
  address: string;
  user?: string;
}

export interface AttemptOptions {
  /**
   * false for credentials already proven in this process (a cached login, a valid API key): they
   * are still refused while their address or pair is locked, but never slowed.
   */
  slowdown?: boolean;
}

export interface LoginThrottle {
  /**
   * Before credentials are verified: rejects with `LoginThrottled` (src/auth/failures.ts) when the
   * address, or the user from that address, has failed too often; otherwise resolves, after a delay
   * when the user has recent failures (from any address: they are slowed, never locked out).
   */
  beforeAttempt(attempt: LoginAttempt, options?: AttemptOptions): Promise<void>;
  /** After credentials were refused. */
  recordFailure(attempt: LoginAttempt): Promise<void>;
  /** After credentials were accepted: forgets the failures of that user from that address. */
  recordSuccess(attempt: LoginAttempt): Promise<void>;
  /** Whether the attempt comes with recent failures (its password derivation may wait behind clean ones). */
  isSuspect(attempt: LoginAttempt): boolean;
}

export type ThrottleSettings = AuthConfig['throttle'];

/** What a store of counters is asked for: one limiter per counted dimension. */
export interface CounterSpec {
  keyPrefix: string;
  points: number;
  /** Seconds. */
  duration: number;
}

/**
 * Where the failure counters live. `memory`: this process only. `cluster`: in the cluster's
 * primary, shared by every worker over node:cluster IPC (the primary must call
 * `startThrottlePrimary()` before forking); when the primary does not answer within
 * `CLUSTER_TIMEOUT_MS` a worker counts in its own memory instead. A function builds any other
 * rate-limiter-flexible limiter (Redis, MongoDB) for several hosts.
 */
export type CounterStore = 'memory' | 'cluster' | ((spec: CounterSpec) => RateLimiterLike);

export interface LoginThrottleOptions {
  store?: CounterStore;
  /** How slowed attempts wait (tests replace it to observe delays without waiting). */
  sleep?: (ms: number) => Promise<void>;
  /** Expiry of this process's view of recent failures, behind `isSuspect`. */
  now?: ElapsedClock;
}

const CLUSTER_TIMEOUT_MS = 250;
/** The first slowed attempt waits this long; each further failure doubles it up to `max_delay_ms`. */
const FIRST_DELAY_MS = 250;
/** Addresses and pairs remembered by `isSuspect`; the oldest are forgotten first. */
const RECENT_FAILURES_KEPT = 10_000;

function limiterFactory(store: CounterStore): (spec: CounterSpec) => RateLimiterLike {
  if (typeof store === 'function') return store;
  if (store === 'memory') return (spec) => new RateLimiterMemory(spec);
  return (spec) =>
    new RLWrapperTimeouts({
      limiter: new RateLimiterCluster({ ...spec, timeoutMs: CLUSTER_TIMEOUT_MS }),
      timeoutMs: CLUSTER_TIMEOUT_MS,
      insuranceLimiter: new RateLimiterMemory(spec),
    });
}

/** In the primary process of a cluster, before forking: answers the workers' `cluster` throttles. */
export function startThrottlePrimary(): void {
  new RateLimiterClusterMaster();
}

/**
 * The counted form of a client address: IPv4-mapped IPv6 addresses as IPv4, other IPv6 addresses
 * by their /64, which a single client usually holds whole (counting /128s would give it 2^64 tries).
 */
export function addressKey(address: string): string {
  const plain = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped) return mapped[1];
  if (!isIPv6(plain)) return plain;
  const [head, tail] = plain.split('::');
  const groups = (part: string | undefined): string[] => (part ? part.split(':') : []);
  const width = (parts: string[]): number => parts.reduce((n, p) => n + (p.includes('.') ? 2 : 1), 0);
  const full = tail === undefined ? groups(head) : [...groups(head), ...Array<string>(8 - width(groups(head)) - width(groups(tail))).fill('0'), ...groups(tail)];
  return `${full.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

interface Count {
  count: number;
  msLeft: number;
}

const NONE: Count = { count: 0, msLeft: 0 };

function countOf(res: RateLimiterRes | null): Count {
  return res ? { count: res.consumedPoints, msLeft: Math.max(res.msBeforeNext, 0) } : NONE;
}

/** This process's knowledge of which addresses and pairs failed lately (kept synchronous for `isSuspect`). */
class RecentFailures {
  private readonly until = new Map<string, number>();

  constructor(private readonly now: ElapsedClock) {}

  note(key: string, msLeft: number): void {
    this.until.delete(key);
    this.until.set(key, this.now() + msLeft);
    if (this.until.size > RECENT_FAILURES_KEPT) this.until.delete(this.until.keys().next().value as string);
  }

  has(key: string): boolean {
    const until = this.until.get(key);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.until.delete(key);
    return false;
  }

  forget(key: string): void {
    this.until.delete(key);
  }
}

/**
 * Fixed-window failure counters (rate-limiter-flexible), three of them: per client address, per
 * (user, address) pair, and per user. The first two refuse with 429 once they reach their limit,
 * until their window ends; the third only slows that user's attempts.
 */
class RateLimitedLoginThrottle implements LoginThrottle {
  private readonly byAddress: RateLimiterLike;
  private readonly byPair: RateLimiterLike;
  private readonly byUser: RateLimiterLike;
  private readonly recent: RecentFailures;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly settings: ThrottleSettings,
    options: LoginThrottleOptions,
  ) {
    const limiter = limiterFactory(options.store ?? 'memory');
    // The window is part of the prefix: a cluster primary keeps the first duration it hears of per prefix.
    const spec = (name: string, points: number): CounterSpec => ({ keyPrefix: `taxiway-login-${name}-${settings.window_seconds}`, points, duration: settings.window_seconds });
    this.byAddress = limiter(spec('address', settings.address_failures));
    this.byPair = limiter(spec('pair', settings.pair_failures));
    this.byUser = limiter(spec('user', settings.user_slowdown_after));
    this.recent = new RecentFailures(options.now ?? systemElapsed);
    this.sleep = options.sleep ?? ((ms) => sleep(ms));
  }

  async beforeAttempt(attempt: LoginAttempt, options: AttemptOptions = {}): Promise<void> {
    const { address, pair } = keysOf(attempt);
    const [byAddress, byPair, byUser] = await Promise.all([
      this.byAddress.get(address).then(countOf),
      pair === undefined ? NONE : this.byPair.get(pair).then(countOf),
      attempt.user === undefined || options.slowdown === false ? NONE : this.byUser.get(attempt.user).then(countOf),
    ]);
    // Another worker may have counted these failures: learn of them for isSuspect and recordSuccess.
    if (byAddress.count > 0) this.recent.note(`a ${address}`, byAddress.msLeft);
    if (pair !== undefined && byPair.count > 0) this.recent.note(`p ${pair}`, byPair.msLeft);
    const locked = [byAddress.count >= this.settings.address_failures ? byAddress.msLeft : 0, byPair.count >= this.settings.pair_failures ? byPair.msLeft : 0];
    const lockedMs = Math.max(...locked);
    if (lockedMs > 0) throw new LoginThrottled(Math.max(1, Math.ceil(lockedMs / 1000)));
    const delay = this.slowdownMs(byUser.count);
    if (delay > 0) await this.sleep(delay);
  }

  async recordFailure(attempt: LoginAttempt): Promise<void> {
    const { address, pair } = keysOf(attempt);
    // Noted before the counters answer, so derivations waiting right now already count as suspect.
    const windowMs = this.settings.window_seconds * 1000;
    this.recent.note(`a ${address}`, windowMs);
    if (pair !== undefined) this.recent.note(`p ${pair}`, windowMs);
    const [byAddress, byPair] = await Promise.all([
      this.byAddress.penalty(address).then(countOf),
      pair === undefined ? NONE : this.byPair.penalty(pair).then(countOf),
      attempt.user === undefined ? NONE : this.byUser.penalty(attempt.user),
    ]);
    this.recent.note(`a ${address}`, byAddress.msLeft);
    if (pair !== undefined) this.recent.note(`p ${pair}`, byPair.msLeft);
  }

  async recordSuccess(attempt: LoginAttempt): Promise<void> {
    const { pair } = keysOf(attempt);
    // Most sign-ins have no failures to forget: skip the store (an IPC round trip in a cluster).
    if (pair === undefined || !this.recent.has(`p ${pair}`)) return;
    this.recent.forget(`p ${pair}`);
    await this.byPair.delete(pair);
  }

  isSuspect(attempt: LoginAttempt): boolean {
    const { address, pair } = keysOf(attempt);
    return this.recent.has(`a ${address}`) || (pair !== undefined && this.recent.has(`p ${pair}`));
  }

  private slowdownMs(failures: number): number {
    const beyond = failures - this.settings.user_slowdown_after;
    if (beyond < 0) return 0;
    return Math.min(this.settings.max_delay_ms, FIRST_DELAY_MS * 2 ** Math.min(beyond, 16));
  }
}

function keysOf(attempt: LoginAttempt): { address: string; pair?: string } {
  const address = addressKey(attempt.address);
  return { address, pair: attempt.user === undefined ? undefined : JSON.stringify([attempt.user, address]) };
}

/**
 * The process's login throttle. Build it once per process and pass it to every app the process
 * builds: its counters must survive configuration reloads (and a `cluster` store registers IPC
 * listeners for its lifetime). Changed `auth.throttle` settings apply to a new throttle only.
 */
export function createLoginThrottle(settings: ThrottleSettings, options: LoginThrottleOptions = {}): LoginThrottle {
  return new RateLimitedLoginThrottle(settings, options);
}
