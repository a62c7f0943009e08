/**
 * Translates the store's typed filters into SQL over the `objects` table.
 *
 * Values always travel as parameters; only the shape (how many placeholders, which flags) is
 * part of the SQL text, so statements can be cached per shape. The default poll (last version,
 * latest spec) is written as the literal terms `is_last = 1 AND is_latest_spec = 1` so that
 * SQLite can pick the partial `objects_current*` indexes.
 */
import type { ObjectQuery, ObjectText, Page, PageRequest, SpecVersionSelection, StoredObject, StoredVersion, VersionSelection } from '../store';
import { PageBudget } from '../page-budget';
import type { StatementCache } from './statement-cache';

export type SqlValue = string | number;

export interface SqlFilter {
  /** Terms to AND together. */
  terms: string[];
  params: SqlValue[];
}

/**
 * `column IN (...)` with the list as one JSON parameter: a query with several lists (say 200 types
 * and 300 versions, each type a branch of its own) then needs one variable per list and branch, not
 * one per value, and stays far below SQLite's variable limit. An empty list matches nothing.
 */
function inTerm(filter: SqlFilter, column: string, values: readonly string[]): string {
  if (values.length === 0) return '0';
  if (values.length === 1) {
    filter.params.push(values[0]);
    return `${column} = ?`;
  }
  filter.params.push(JSON.stringify(values));
  return `${column} IN (SELECT value FROM json_each(?))`;
}

function addInList(filter: SqlFilter, column: string, values: readonly string[]): void {
  filter.terms.push(inTerm(filter, column, values));
}

export function addVersionSelection(filter: SqlFilter, versions: VersionSelection): void {
  if (versions.all === true) return;
  const { first, last, exact } = versions;
  const alternatives: string[] = [];
  if (first) alternatives.push('is_first = 1');
  if (last) alternatives.push('is_last = 1');
  if (exact.length > 0) alternatives.push(inTerm(filter, 'version', exact));
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

/** WHERE terms shared by every branch of a query: everything except ids and types. */
function commonFilter(query: ObjectQuery): SqlFilter {
  const filter: SqlFilter = { terms: ['collection_id = ?'], params: [query.collectionId] };
  addVersionSelection(filter, query.versions);
  addSpecVersionSelection(filter, query.specVersions);
  if (query.after !== undefined) {
    filter.terms.push('date_added > ?');
    filter.params.push(query.after);
  }
  return filter;
}

function withTerm(filter: SqlFilter, term: string, params: readonly SqlValue[]): SqlFilter {
  return { terms: [...filter.terms, term], params: [...filter.params, ...params] };
}

export const VERSION_COLUMNS =
  'id, type, spec_version AS specVersion, version, date_added AS dateAdded, media_type AS mediaType';
export const OBJECT_COLUMNS = `${VERSION_COLUMNS}, json`;
/** Object texts only, read as arrays (`raw` mode): a page of polls builds no row objects. */
const TEXT_COLUMNS = 'date_added AS dateAdded, json';

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
  const common = commonFilter(query);
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

/** Runs a page query within the page's limit and byte budget; the statement is finished before the page is returned. */
export function selectPage<T extends StoredVersion>(statements: StatementCache, columns: string, query: ObjectQuery, page: PageRequest): Page<T> {
  const { sql, params } = pageSql(columns, query, page);
  const budget = new PageBudget<T>(page);
  for (const row of statements.get(sql).iterate(...params) as IterableIterator<T>) {
    const json = (row as Partial<StoredObject>).json;
    if (!budget.offer(row, json === undefined ? 0 : Buffer.byteLength(json))) return { items: budget.items, more: true };
  }
  return { items: budget.items, more: false };
}

/**
 * `selectPage` for what a TAXII envelope needs: date_added and the stored text of each object,
 * read as arrays rather than row objects (a poll is the most frequent request of a busy server).
 */
export function selectTexts(statements: StatementCache, query: ObjectQuery, page: PageRequest): Page<ObjectText> {
  const { sql, params } = pageSql(TEXT_COLUMNS, query, page);
  const budget = new PageBudget<ObjectText>(page);
  for (const [dateAdded, json] of statements.get(sql).raw(true).iterate(...params) as IterableIterator<[string, string]>) {
    if (!budget.offer({ dateAdded, json }, page.maxBytes === undefined ? 0 : Buffer.byteLength(json))) return { items: budget.items, more: true };
  }
  return { items: budget.items, more: false };
}
