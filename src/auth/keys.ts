/**
 * API keys: `twk_<id>_<secret>`, where the id is 8 lower-case letters or digits (public: it names
 * the key in the configuration and in logs) and the secret is 32 random bytes in base64url. Only
 * the SHA-256 of the whole key is configured; a key is shown once, when it is made. A plain hash is
 * enough (unlike passwords) because the secret has 256 bits of entropy: there is nothing to guess.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock';
import { AUTHENTICATED_GROUP } from '../config/semantics';
import type { ApiKeyConfig, UserConfig } from '../config/types';
import type { Principal } from './principal';

const KEY_RE = /^twk_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface NewApiKey {
  id: string;
  /** The whole key, to show once. */
  key: string;
  sha256: string;
}

export function digestApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new key whose id is not in `takenIds`. */
export function generateApiKey(takenIds: ReadonlySet<string> = new Set()): NewApiKey {
  let id: string;
  do {
    id = Array.from({ length: 8 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('');
  } while (takenIds.has(id));
  const key = `twk_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, key, sha256: digestApiKey(key) };
}

/** The id of a well-formed key, else undefined (then it is not a key at all). */
export function apiKeyId(text: string): string | undefined {
  return KEY_RE.exec(text)?.[1];
}

/** The expiry of a configured key in epoch microseconds (the unit of `Clock`), if it has one. */
function expiryMicros(key: ApiKeyConfig): bigint | undefined {
  return key.expires === undefined ? undefined : BigInt(Date.parse(key.expires)) * 1000n;
}

interface KeyEntry {
  user: string;
  enabled: boolean;
  digest: Buffer;
  expires?: bigint;
  principal: Principal;
}

export type KeyCheck = { principal: Principal } | { failure: string };

/** Every configured key by id, so a presented key is found without scanning (ids are unique: config semantics). */
export class KeyDirectory {
  private readonly keys = new Map<string, KeyEntry>();

  constructor(
    users: readonly UserConfig[],
    private readonly clock: Clock,
  ) {
    for (const u of users) {
      for (const k of u.api_keys) {
        const principal: Principal = Object.freeze({ user: u.name, groups: Object.freeze([...u.groups, AUTHENTICATED_GROUP]), keyId: k.id });
        this.keys.set(k.id, { user: u.name, enabled: u.enabled, digest: Buffer.from(k.sha256, 'hex'), expires: expiryMicros(k), principal });
      }
    }
  }

  /** Whose key this id names, if any: the user a key attempt counts against in the throttle. */
  ownerOf(id: string): string | undefined {
    return this.keys.get(id)?.user;
  }

  /** Checks a presented key; reasons go to the log only, never to the client. */
  check(key: string): KeyCheck {
    const id = apiKeyId(key);
    if (id === undefined) return { failure: 'malformed API key' };
    const entry = this.keys.get(id);
    if (!entry) return { failure: 'unknown API key' };
    if (!timingSafeEqual(createHash('sha256').update(key, 'utf8').digest(), entry.digest)) return { failure: 'wrong API key secret' };
    if (!entry.enabled) return { failure: 'API key of a disabled user' };
    if (entry.expires !== undefined && entry.expires <= this.clock()) return { failure: 'expired API key' };
    return { principal: entry.principal };
  }
}
