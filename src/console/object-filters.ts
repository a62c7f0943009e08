/**
 * The collection page's filters: TAXII's (type, id, added after, version) under plain names, with
 * TAXII's `next` token for keyset paging, turned into the ObjectService's filters. Bad input is a
 * message for the form, not an error page.
 */
import type { Request } from 'express';
import { decodeCursor } from '../http/cursor';
import type { ObjectFilters } from '../services/objects';
import { parseTimestamp } from '../stix/timestamp';
import type { VersionSelection } from '../store/store';
import { isStixId } from './references';

const TYPE_RE = /^[a-z0-9][a-z0-9-]{0,249}$/;
const MAX_TYPES = 100;

export type VersionChoice = 'last' | 'first' | 'all';

/** The form's fields as the user typed them (shown back in the form). */
export interface FilterInput {
  type: string;
  id: string;
  addedAfter: string;
  version: VersionChoice;
  next: string;
}

function text(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (value === undefined) return '';
  return typeof value === 'string' ? value.trim().slice(0, 4096) : undefined;
}

/** The fields, or a message when one was given more than once. */
export function readFilterInput(req: Request): { input: FilterInput; error?: string } {
  const fields = { type: text(req, 'type'), id: text(req, 'id'), addedAfter: text(req, 'added_after'), version: text(req, 'version'), next: text(req, 'next') };
  const repeated = Object.entries(fields).find(([, v]) => v === undefined);
  const version = fields.version === 'first' || fields.version === 'all' ? fields.version : 'last';
  const input: FilterInput = { type: fields.type ?? '', id: fields.id ?? '', addedAfter: fields.addedAfter ?? '', version, next: fields.next ?? '' };
  return repeated ? { input, error: `The filter ${repeated[0]} was given more than once.` } : { input };
}

const VERSIONS: Record<VersionChoice, VersionSelection> = {
  last: { first: false, last: true, exact: [] },
  first: { first: true, last: false, exact: [] },
  all: { all: true },
};

/** The service's filters for the input, or a message saying what is wrong with it. */
export function toObjectFilters(input: FilterInput): ObjectFilters | string {
  const filters: ObjectFilters = { versions: VERSIONS[input.version], specVersions: { latest: true } };
  if (input.type !== '') {
    const types = [...new Set(input.type.split(',').map((t) => t.trim()).filter((t) => t !== ''))];
    const bad = types.find((t) => !TYPE_RE.test(t));
    if (bad !== undefined) return `'${bad.slice(0, 100)}' is not a STIX type name (lower-case letters, digits and hyphens).`;
    if (types.length > MAX_TYPES) return `Give at most ${MAX_TYPES} types.`;
    if (types.length > 0) filters.types = types;
  }
  if (input.id !== '') {
    const id: string = input.id;
    if (!isStixId(id)) return `'${input.id.slice(0, 100)}' is not a STIX identifier such as indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f.`;
    filters.ids = [id];
  }
  let addedAfter: string | undefined;
  if (input.addedAfter !== '') {
    const parsed = parseTimestamp(input.addedAfter, 6);
    if (parsed === undefined) return `'${input.addedAfter.slice(0, 64)}' is not a UTC timestamp such as 2024-01-31T12:00:00Z.`;
    addedAfter = parsed.canonical;
  }
  let position: string | undefined;
  if (input.next !== '') {
    try {
      position = decodeCursor(input.next);
    } catch {
      return 'The page link is not valid; start again from the first page.';
    }
  }
  // One lower bound, as the TAXII routes compute it: the later of added_after and the page position.
  const after = addedAfter === undefined || (position !== undefined && position > addedAfter) ? position : addedAfter;
  if (after !== undefined) filters.after = after;
  return filters;
}
