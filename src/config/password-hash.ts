/**
 * The stored form of a password: `$scrypt$N=<cost>,r=<block>,p=<parallel>$<salt base64>$<key base64>`.
 * Parsing is pure, so the configuration can refuse a malformed hash at load time; deriving and
 * comparing keys is `src/auth/passwords.ts`.
 */

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
