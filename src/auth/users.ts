import { createHmac, randomBytes } from 'node:crypto';
import type { UserConfig } from '../config/types';
import { AUTHENTICATED_GROUP } from '../config/semantics';
import { parsePasswordHash, type ParsedHash } from '../config/password-hash';
import { DerivationLimiter } from './derivations';
import { verifyPassword } from './passwords';
import type { Principal } from './principal';

export interface VerifyOptions {
  /** Whether the attempt has recent failures: its password derivation then waits behind clean ones. */
  suspect?: () => boolean;
}

/** Checks user names and passwords; yields a principal or null. */
export interface AuthProvider {
  verify(username: string, password: string, options?: VerifyOptions): Promise<Principal | null>;
  /** A login verified recently, answered without deriving anything (and so never slowed); else null. */
  cachedLogin?(username: string, password: string): Principal | null;
}

interface CachedLogin {
  principal: Principal;
  expiresAt: number;
}

export interface UserDirectoryOptions {
  /** How many verified logins to remember (TAXII clients send Basic credentials on every request). */
  cacheSize?: number;
  /** 0 turns the cache off. */
  cacheTtlMs?: number;
  now?: () => number;
  /** The cap on concurrent derivations; several directories may share one. */
  derivations?: DerivationLimiter;
}

/** The schema's default for `auth.max_concurrent_derivations`. */
const DEFAULT_MAX_DERIVATIONS = 2;

/**
 * Users from the configuration, with a bounded cache of verified logins so a poll does not pay a
 * scrypt derivation on every request. The cache key is an HMAC of user and password under a key
 * that never leaves this process, so no plaintext password is kept in memory. Failed logins are
 * never cached. A new directory (built when users change) starts with an empty cache. Derivations
 * go through a `DerivationLimiter`; cached logins never wait for it.
 */
export class UserDirectory implements AuthProvider {
  private readonly users = new Map<string, { principal: Principal; hash: ParsedHash }>();
  private readonly cache = new Map<string, CachedLogin>();
  private readonly cacheKey = randomBytes(32);
  private readonly cacheSize: number;
  private readonly cacheTtlMs: number;
  private readonly now: () => number;
  private readonly derivations: DerivationLimiter;
  /** Spent on unknown user names so their timing resembles a wrong password. */
  private readonly decoy: ParsedHash | undefined;

  constructor(users: readonly UserConfig[], options: UserDirectoryOptions = {}) {
    for (const u of users) {
      if (!u.enabled) continue;
      const hash = parsePasswordHash(u.password_hash);
      if (typeof hash === 'string') throw new Error(`user ${u.name}: ${hash}`);
      this.users.set(u.name, { principal: Object.freeze({ user: u.name, groups: Object.freeze([...u.groups, AUTHENTICATED_GROUP]) }), hash });
    }
    this.decoy = this.users.values().next().value?.hash;
    this.cacheSize = options.cacheSize ?? 1000;
    this.cacheTtlMs = options.cacheTtlMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
    this.derivations = options.derivations ?? new DerivationLimiter(DEFAULT_MAX_DERIVATIONS);
  }

  private keyOf(username: string, password: string): string {
    return createHmac('sha256', this.cacheKey).update(username).update('\0').update(password).digest('base64');
  }

  cachedLogin(username: string, password: string): Principal | null {
    return this.lookup(this.keyOf(username, password));
  }

  private lookup(key: string): Principal | null {
    const cached = this.cache.get(key);
    if (!cached) return null;
    this.cache.delete(key);
    if (cached.expiresAt <= this.now()) return null;
    // Re-inserting makes it the newest: Map iteration order is insertion order.
    this.cache.set(key, cached);
    return cached.principal;
  }

  async verify(username: string, password: string, options: VerifyOptions = {}): Promise<Principal | null> {
    const key = this.keyOf(username, password);
    const cached = this.lookup(key);
    if (cached) return cached;
    const entry = this.users.get(username);
    const hash = entry?.hash ?? this.decoy;
    if (!hash) return null;
    const matches = await this.derivations.run(() => verifyPassword(password, hash), options.suspect);
    if (!entry || !matches) return null;
    if (this.cacheTtlMs > 0) {
      this.cache.set(key, { principal: entry.principal, expiresAt: this.now() + this.cacheTtlMs });
      while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    }
    return entry.principal;
  }

  clearCache(): void {
    this.cache.clear();
  }

  get cachedLogins(): number {
    return this.cache.size;
  }
}
