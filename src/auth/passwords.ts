import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashes: scrypt from node:crypto, no native add-on needed.
 * Format: `$scrypt$N=<cost>,r=<block>,p=<parallel>$<salt base64>$<key base64>`.
 */

const DEFAULTS = { N: 1 << 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

export interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

const HASH_RE = /^\$scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

/** Parses a stored hash; returns a reason string when it is not usable. */
export function parsePasswordHash(text: string): ParsedHash | string {
  const m = HASH_RE.exec(text);
  if (!m) return 'not a Taxiway scrypt hash (expected $scrypt$N=…,r=…,p=…$salt$key; create one with `taxiway hash-password`)';
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (N < 1024 || (N & (N - 1)) !== 0) return 'scrypt N must be a power of two of at least 1024';
  if (r < 1 || r > 64 || p < 1 || p > 16) return 'scrypt r or p out of range';
  if (128 * N * r > 256 * 1024 * 1024) return 'scrypt parameters need more than 256 MiB of memory';
  const salt = Buffer.from(m[4], 'base64');
  const key = Buffer.from(m[5], 'base64');
  if (salt.length < 8) return 'scrypt salt is shorter than 8 bytes';
  if (key.length < 16) return 'scrypt key is shorter than 16 bytes';
  return { N, r, p, salt, key };
}

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function scryptOptions(N: number, r: number, p: number): ScryptOptions {
  return { N, r, p, maxmem: 128 * N * r * 2 };
}

export async function hashPassword(password: string, params = DEFAULTS): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await scrypt(password, salt, KEY_LENGTH, scryptOptions(params.N, params.r, params.p));
  return `$scrypt$N=${params.N},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Checks a password against a parsed hash in constant time. */
export async function verifyPassword(password: string, hash: ParsedHash): Promise<boolean> {
  const key = await scrypt(password, hash.salt, hash.key.length, scryptOptions(hash.N, hash.r, hash.p));
  return timingSafeEqual(key, hash.key);
}
