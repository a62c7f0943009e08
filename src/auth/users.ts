import { createHmac, randomBytes } from 'node:crypto';
import type { UserConfig } from '../config/types';
import { AUTHENTICATED_GROUP } from '../config/semantics';
import { parsePasswordHash, type ParsedHash } from '../config/password-hash';
import { verifyPassword } from './passwords';
import type { Principal } from './principal';

/** Checks user names and passwords; yields a principal or null. */
export interface AuthProvider {
  verify(username: string, password: string): Promise<Principal | null>;
}

interface CachedLogin {
  principal: Principal;
  expiresAt: number;
}

export interface UserDirectoryOptions {
  /** How many verified logins to remember (TAXII clients send Basic credentials on every request). */
  cacheSize?: number;
  cacheTtlMs?: number;
  now?: () => number;
}

/**
 * Users from the configuration, with a bounded cache of verified logins so a poll does not pay a
 * scrypt derivation on every request. The cache key is an HMAC of user and password under a key
 * that never leaves this process, so no plaintext password is kept in memory. Failed logins are
 * never cached. A new directory (built when users change) starts with an empty cache.
 */
export class UserDirectory implements AuthProvider {
  private readonly users = new Map<string, { principal: Principal; hash: ParsedHash }>();
  private readonly cache = new Map<string, CachedLogin>();
  private readonly cacheKey = randomBytes(32);
  private readonly cacheSize: number;
  private readonly cacheTtlMs: number;
  private readonly now: () => number;
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
  }

  private keyOf(username: string, password: string): string {
    return createHmac('sha256', this.cacheKey).update(username).update('\0').update(password).digest('base64');
  }

  async verify(username: string, password: string): Promise<Principal | null> {
    const key = this.keyOf(username, password);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > this.now()) {
      // Refresh recency: Map iteration order is insertion order, so re-inserting makes it newest.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached.principal;
    }
    if (cached) this.cache.delete(key);
    const entry = this.users.get(username);
    if (!entry) {
      if (this.decoy) await verifyPassword(password, this.decoy);
      return null;
    }
    if (!(await verifyPassword(password, entry.hash))) return null;
    this.cache.set(key, { principal: entry.principal, expiresAt: this.now() + this.cacheTtlMs });
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    return entry.principal;
  }

  clearCache(): void {
    this.cache.clear();
  }

  get cachedLogins(): number {
    return this.cache.size;
  }
}
