import { createHash } from 'node:crypto';
import { canonicalTimestamp } from './timestamp';

/**
 * The version of an object that has neither `modified` nor `created` (most SCOs). TAXII asks for
 * "a consistent value"; Taxiway uses the Unix epoch, so every such object has exactly one version
 * per id, which sorts before any real version.
 */
export const UNVERSIONED = '1970-01-01T00:00:00.000000Z';

/** `modified`, else `created`, else UNVERSIONED; canonical. Undefined when a present value is not a timestamp. */
export function objectVersion(object: Readonly<Record<string, unknown>>): string | undefined {
  const raw = object.modified ?? object.created;
  if (raw === undefined) return UNVERSIONED;
  return typeof raw === 'string' ? canonicalTimestamp(raw) : undefined;
}

function canonicalValue(value: unknown): unknown {
  // Only strings shaped like a timestamp (20+ characters ending in Z) can be one; skip the rest cheaply.
  if (typeof value === 'string') return value.length >= 20 && value.endsWith('Z') ? (canonicalTimestamp(value) ?? value) : value;
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = canonicalValue((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * Digest of an object's content as parsed JSON: keys sorted, timestamps compared as instants
 * (`…:37Z` and `…:37.000Z` are equal). Two pushes of one id and version are duplicates exactly when
 * their digests match.
 */
export function contentDigest(object: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonicalValue(object))).digest('base64url');
}
