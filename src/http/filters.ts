import type { Request } from 'express';
import type { ApiRootConfig } from '../config/types';
import { parseTimestamp } from '../stix/timestamp';
import type { SpecVersionSelection, VersionSelection } from '../store/store';
import { decodeCursor } from './cursor';
import { badRequest } from './errors';

/** The query parameters an endpoint understands (§3.4); unknown `match[...]` fields are ignored. */
export type FilterName = 'added_after' | 'limit' | 'next' | 'match[id]' | 'match[type]' | 'match[version]' | 'match[spec_version]';

export interface ParsedFilters {
  limit: number;
  /**
   * The one lower bound of the request: strictly after the later of `added_after` and the `next`
   * position. It is also the position the date headers of an empty page report.
   */
  after?: string;
  ids?: string[];
  types?: string[];
  versions: VersionSelection;
  specVersions: SpecVersionSelection;
}

/**
 * Most values a request may give across all its `match[...]` parameters together. Taxiway's
 * queries stay within both stores' limits up to this many (SQLite allows 500 branches in one
 * compound query, one per type); above it the request is refused, never half-served.
 */
export const MAX_FILTER_VALUES = 500;

const STIX_ID_RE = /^[a-z0-9][a-z0-9-]*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const TYPE_RE = /^[a-z0-9][a-z0-9-]{0,249}$/;
const SPEC_VERSION_RE = /^\d+\.\d+$/;

function single(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(`The parameter ${name} may be given only once.`, { parameter: name });
  return value;
}

function list(req: Request, name: string, check: (v: string) => boolean, what: string): string[] | undefined {
  const value = single(req, name);
  if (value === undefined) return undefined;
  const items = value.split(',');
  const bad = items.find((v) => !check(v));
  if (bad !== undefined) throw badRequest(`The parameter ${name} has ${bad === '' ? 'an empty value' : `'${bad.slice(0, 100)}', which is not ${what}`}.`, { parameter: name });
  return [...new Set(items)];
}

function parseVersions(req: Request, fallback: VersionSelection): VersionSelection {
  const items = single(req, 'match[version]');
  if (items === undefined) return fallback;
  const seen = new Set<string>();
  let first = false;
  let last = false;
  let all = false;
  const exact: string[] = [];
  for (const item of items.split(',')) {
    let key = item;
    if (item === 'first') first = true;
    else if (item === 'last') last = true;
    else if (item === 'all') all = true;
    else {
      const ts = parseTimestamp(item);
      if (!ts) throw badRequest(`The parameter match[version] has '${item.slice(0, 100)}', which is not first, last, all or a timestamp.`, { parameter: 'match[version]' });
      key = ts.canonical;
      exact.push(ts.canonical);
    }
    if (seen.has(key)) throw badRequest(`The parameter match[version] repeats '${item}'.`, { parameter: 'match[version]' });
    seen.add(key);
  }
  if (all && seen.size > 1) throw badRequest("The parameter match[version] may not combine 'all' with other values.", { parameter: 'match[version]' });
  return all ? { all: true } : { first, last, exact };
}

function parseLimit(req: Request, root: ApiRootConfig): number {
  const text = single(req, 'limit');
  if (text === undefined) return root.default_page_size;
  // TAXII integers fit in 54 signed bits; larger values are not integers TAXII can carry.
  if (!/^[1-9]\d{0,15}$/.test(text) || Number(text) > Number.MAX_SAFE_INTEGER) {
    throw badRequest(`The parameter limit must be a positive integer of at most ${Number.MAX_SAFE_INTEGER}, not '${text.slice(0, 40)}'.`, { parameter: 'limit' });
  }
  // Larger requests are clamped, not refused: python-stix2 asks for 5000 at a time.
  return Math.min(Number(text), root.max_page_size);
}

/** What an absent match[version] / match[spec_version] means: TAXII's defaults for reads (§3.4.1). */
export const READ_DEFAULTS: Pick<ParsedFilters, 'versions' | 'specVersions'> = {
  versions: { first: false, last: true, exact: [] },
  specVersions: { latest: true },
};

/**
 * Parses the filters `allowed` for an endpoint; anything malformed is a 400 naming the parameter.
 * `defaults` give the meaning of an absent version or spec-version filter for that endpoint.
 */
export function parseFilters(
  req: Request,
  root: ApiRootConfig,
  allowed: readonly FilterName[],
  defaults: Pick<ParsedFilters, 'versions' | 'specVersions'> = READ_DEFAULTS,
): ParsedFilters {
  const has = (n: FilterName): boolean => allowed.includes(n);
  const result: ParsedFilters = {
    limit: has('limit') ? parseLimit(req, root) : root.max_page_size,
    versions: has('match[version]') ? parseVersions(req, defaults.versions) : defaults.versions,
    specVersions: defaults.specVersions,
  };
  let addedAfter: string | undefined;
  if (has('added_after')) {
    const text = single(req, 'added_after');
    if (text !== undefined) {
      const ts = parseTimestamp(text, 6);
      if (!ts) throw badRequest(`The parameter added_after must be a UTC timestamp such as 2024-01-31T12:00:00.000000Z, not '${text.slice(0, 64)}'.`, { parameter: 'added_after' });
      addedAfter = ts.canonical;
    }
  }
  let position: string | undefined;
  if (has('next')) {
    const token = single(req, 'next');
    // `next=0` means "from the start": some clients' documented paging loops begin with it, and no
    // Taxiway token can be `0`.
    if (token !== undefined && token !== '' && token !== '0') position = decodeCursor(token);
  }
  // Both bounds are "strictly after a date_added": the later one wins (canonical timestamps have a
  // fixed width, so string order is time order).
  const after = addedAfter === undefined || (position !== undefined && position > addedAfter) ? position : addedAfter;
  if (after !== undefined) result.after = after;
  if (has('match[id]')) result.ids = list(req, 'match[id]', (v) => STIX_ID_RE.test(v), 'a STIX identifier');
  if (has('match[type]')) result.types = list(req, 'match[type]', (v) => TYPE_RE.test(v), 'a STIX type name');
  if (has('match[spec_version]')) {
    const specs = list(req, 'match[spec_version]', (v) => SPEC_VERSION_RE.test(v), 'a spec version such as 2.1');
    if (specs) result.specVersions = { specVersions: specs };
  }
  // Repeated parameters the endpoint ignores are still malformed requests.
  for (const [name, value] of Object.entries(req.query)) {
    if (Array.isArray(value)) throw badRequest(`The parameter ${name} may be given only once.`, { parameter: name });
  }
  checkFilterValueCount(req);
  return result;
}

/** Refuses requests whose match[...] parameters hold more than MAX_FILTER_VALUES values in all. */
function checkFilterValueCount(req: Request): void {
  let total = 0;
  const names: string[] = [];
  for (const [name, value] of Object.entries(req.query)) {
    if (!name.startsWith('match[') || typeof value !== 'string') continue;
    total += value.split(',').length;
    names.push(name);
  }
  if (total > MAX_FILTER_VALUES) {
    throw badRequest(`The parameters ${names.join(', ')} give ${total} values together; a request may give at most ${MAX_FILTER_VALUES} (split it into several requests).`, { parameter: names.join(',') });
  }
}
