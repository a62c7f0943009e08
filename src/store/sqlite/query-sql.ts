/**
 * Translates the store's typed filters into SQL over the `objects` table.
 *
 * Values always travel as parameters; only the shape (how many placeholders, which flags) is
 * part of the SQL text, so statements can be cached per shape. The default poll (last version,
 * latest spec) is written as the literal terms `is_last = 1 AND is_latest_spec = 1` so that
 * SQLite can pick the partial `objects_current*` indexes.
 */
import type { ObjectQuery, PageRequest, SpecVersionSelection, VersionSelection } from '../store';

export type SqlValue = string | number;

export interface SqlFilter {
  /** Terms to AND together. */
  terms: string[];
  params: SqlValue[];
}

function placeholders(count: number): string {
  return new Array<string>(count).fill('?').join(', ');
}

/** Adds `column IN (...)`; an empty list matches nothing. */
function addInList(filter: SqlFilter, column: string, values: readonly string[]): void {
  if (values.length === 0) {
    filter.terms.push('0');
    return;
  }
  filter.terms.push(values.length === 1 ? `${column} = ?` : `${column} IN (${placeholders(values.length)})`);
  filter.params.push(...values);
}

export function addVersionSelection(filter: SqlFilter, versions: VersionSelection): void {
  if (versions.all === true) return;
  const { first, last, exact } = versions;
  const alternatives: string[] = [];
  if (first) alternatives.push('is_first = 1');
  if (last) alternatives.push('is_last = 1');
  if (exact.length > 0) {
    alternatives.push(exact.length === 1 ? 'version = ?' : `version IN (${placeholders(exact.length)})`);
    filter.params.push(...exact);
  }
  if (alternatives.length === 0) filter.terms.push('0');
  else if (alternatives.length === 1) filter.terms.push(alternatives[0]);
  else filter.terms.push(`(${alternatives.join(' OR ')})`);
}

export function addSpecVersionSelection(filter: SqlFilter, specVersions: SpecVersionSelection): void {
  if (specVersions.any === true) return;
  if (specVersions.latest === true) {
    filter.terms.push('is_latest_spec = 1');
    return;
  }
  addInList(filter, 'spec_version', specVersions.specVersions);
}

/** The larger of two optional canonical timestamps (fixed width, so string order is time order). */
function laterOf(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

/** WHERE terms shared by every branch of a query: everything except ids and types. */
function commonFilter(query: ObjectQuery, page: PageRequest): SqlFilter {
  const filter: SqlFilter = { terms: ['collection_id = ?'], params: [query.collectionId] };
  addVersionSelection(filter, query.versions);
  addSpecVersionSelection(filter, query.specVersions);
  // added_after and the next token are both "strictly after a date_added": one range bound.
  const after = laterOf(query.addedAfter, page.afterDateAdded);
  if (after !== undefined) {
    filter.terms.push('date_added > ?');
    filter.params.push(after);
  }
  return filter;
}

function withTerm(filter: SqlFilter, term: string, params: readonly SqlValue[]): SqlFilter {
  return { terms: [...filter.terms, term], params: [...filter.params, ...params] };
}

export const VERSION_COLUMNS =
  'id, type, spec_version AS specVersion, version, date_added AS dateAdded, media_type AS mediaType';
export const OBJECT_COLUMNS = `${VERSION_COLUMNS}, json`;

export interface PageSql {
  sql: string;
  params: SqlValue[];
}

/**
 * A page of matching rows, ascending by date_added, as a bounded index range scan. Fetches one
 * row more than the limit; the caller turns its presence into `more`.
 *
 * - With ids: the (collection, id, version) index, then a sort of just those objects' versions.
 *   (Without the hint SQLite prefers walking the date_added index to avoid the sort, which reads
 *   a whole collection to find a handful of ids.)
 * - With several types: one branch per type, each reading at most limit + 1 rows of the type
 *   index in date_added order, merged. A single `type IN (...)` would sort every row of those
 *   types on each page.
 * - Otherwise the date_added indexes serve the order directly and the scan stops at the limit.
 */
export function pageSql(columns: string, query: ObjectQuery, page: PageRequest): PageSql {
  const common = commonFilter(query, page);
  const fetch = page.limit + 1;
  const where = (filter: SqlFilter): string => filter.terms.join(' AND ');

  if (query.ids !== undefined) {
    const filter = inList(common, 'id', query.ids);
    if (query.types !== undefined) addInList(filter, 'type', query.types);
    return {
      sql: `SELECT ${columns} FROM objects INDEXED BY objects_by_id_version WHERE ${where(filter)} ORDER BY date_added LIMIT ?`,
      params: [...filter.params, fetch],
    };
  }
  if (query.types !== undefined && new Set(query.types).size > 1) {
    // Distinct types only: a repeated type would be a second branch returning the same rows.
    const branches = [...new Set(query.types)].map((type) => withTerm(common, 'type = ?', [type]));
    return {
      sql:
        branches
          .map((branch) => `SELECT * FROM (SELECT ${columns} FROM objects WHERE ${where(branch)} ORDER BY date_added LIMIT ?)`)
          .join(' UNION ALL ') + ' ORDER BY dateAdded LIMIT ?',
      params: [...branches.flatMap((branch) => [...branch.params, fetch]), fetch],
    };
  }
  const filter = query.types === undefined ? common : inList(common, 'type', query.types);
  return {
    sql: `SELECT ${columns} FROM objects WHERE ${where(filter)} ORDER BY date_added LIMIT ?`,
    params: [...filter.params, fetch],
  };
}

function inList(filter: SqlFilter, column: string, values: readonly string[]): SqlFilter {
  const copy: SqlFilter = { terms: [...filter.terms], params: [...filter.params] };
  addInList(copy, column, values);
  return copy;
}
