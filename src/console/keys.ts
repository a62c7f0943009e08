/**
 * Key material of console sessions. Each configured `console.session_keys` entry yields three
 * sub-keys (HKDF), one per purpose, so a key used to sign cookies is never also the key of CSRF
 * tokens or password-hash fingerprints. The first entry signs; every entry verifies, so an operator
 * rotates by putting a new key first and dropping the old one after `session_hours`.
 *
 * Without configured keys the console still works, on a random secret made once per process: its
 * sessions end at restart, and several workers (each with its own secret) could not share them, so
 * start-up is refused then.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import type winston from 'winston';
import type { ConsoleConfig, TaxiwayConfig } from '../config/types';

/** One secret's sub-keys. */
export interface SessionKey {
  session: Buffer;
  csrf: Buffer;
  fingerprint: Buffer;
}

/** What the process keeps across configuration reloads: the random secret used when none is configured. */
export interface ConsoleKeyMaterial {
  readonly fallback: Buffer;
}

function subKey(secret: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `taxiway console ${purpose}`, 32));
}

function deriveKey(secret: Buffer): SessionKey {
  return { session: subKey(secret, 'session'), csrf: subKey(secret, 'csrf'), fingerprint: subKey(secret, 'fingerprint') };
}

/**
 * Call once per process, at start. A random secret is made whether or not it is needed, so a later
 * reload that removes the configured keys still finds one that outlives reloads.
 */
export function consoleSessionKeys(config: TaxiwayConfig, logger: winston.Logger): ConsoleKeyMaterial {
  if (config.console.enabled && config.console.session_keys.length === 0) {
    logger.warn('console.session_keys is not set: console sessions are signed with a random key and end when the server restarts; set it (the same keys on every instance) to keep them');
  }
  return { fallback: randomBytes(32) };
}

/** Reasons the server must not start with this console configuration. */
export function consoleStartupProblems(config: TaxiwayConfig, workers: number): string[] {
  if (config.console.enabled && config.console.session_keys.length === 0 && workers > 1) {
    return [`console.enabled is set with ${workers} workers but console.session_keys is empty: each worker would sign sessions with its own random key, so a session would only work on the worker that issued it. Set console.session_keys (e.g. the output of: openssl rand -base64 48).`];
  }
  return [];
}

/** The keys in force for a configuration, signing key first. */
export function keyRing(config: ConsoleConfig, material: ConsoleKeyMaterial): readonly SessionKey[] {
  const secrets = config.session_keys.length > 0 ? config.session_keys.map((k) => Buffer.from(k, 'utf8')) : [material.fallback];
  return secrets.map(deriveKey);
}
