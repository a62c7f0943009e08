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
