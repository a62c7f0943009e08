import type { Collection, Document, Filter } from 'mongodb';
import { PageBudget } from '../page-budget';
import type { ObjectQuery, ObjectText, Page, PageRequest, SpecVersionSelection, StoredObject, StoredVersion, VersionSelection } from '../store';
import { INDEX, type VersionDocument } from './schema';

/**
 * Translates the store's typed queries into MongoDB filters, picks the index that serves each one,
 * and reads a page. Every index used for listing ends in `dateAdded`, so the sort and the lower
 * bound are an index range scan after the equality prefix.
 */

export type VersionFilter = Filter<VersionDocument>;

export function versionSelectionFilter(versions: VersionSelection): VersionFilter {
  if (versions.all) return {};
  const alternatives: VersionFilter[] = [];
  if (versions.first) alternatives.push({ isFirst: true });
  if (versions.last) alternatives.push({ isLast: true });
  if (versions.exact.length > 0) alternatives.push({ version: { $in: [...versions.exact] } });
  if (alternatives.length === 0) return { version: { $in: [] } };
  if (alternatives.length === 1) return alternatives[0];
  return { $or: alternatives };
}

export function specVersionFilter(specVersions: SpecVersionSelection): VersionFilter {
  if (specVersions.any) return {};
  if (specVersions.latest) return { isLatestSpec: true };
  return { specVersion: { $in: [...specVersions.specVersions] } };
}

/** The versions of one object a DELETE selects. */
export function objectVersionsFilter(
  collectionId: string,
  objectId: string,
  versions: VersionSelection,
  specVersions: SpecVersionSelection,
): VersionFilter {
  return { collectionId, objectId, ...versionSelectionFilter(versions), ...specVersionFilter(specVersions) };
}

/** Strictly after `after` (when given) and at most the readers' watermark `upTo`. */
export function dateAddedRange(after: string | undefined, upTo: string): VersionFilter {
  return { dateAdded: after === undefined ? { $lte: upTo } : { $gt: after, $lte: upTo } };
}

export function objectQueryFilter(query: ObjectQuery, upTo: string): VersionFilter {
  const filter: VersionFilter = { collectionId: query.collectionId };
  if (query.ids !== undefined) filter.objectId = { $in: [...query.ids] };
  if (query.types !== undefined) filter.type = { $in: [...query.types] };
  return {
    ...filter,
    ...dateAddedRange(query.after, upTo),
    ...versionSelectionFilter(query.versions),
    ...specVersionFilter(query.specVersions),
  };
}

/**
 * The index for a listing query: the most selective equality prefix the query has. match[id]
 * names few objects; match[type] usually a small share; `last`/`first` alone (the TAXII default)
 * use their flag indexes; anything else walks the collection's date_added keyset.
 */
export function indexForQuery(query: ObjectQuery): string {
  if (query.ids !== undefined) return INDEX.byObjectId;
  if (query.types !== undefined) return INDEX.byType;
  const versions = query.versions;
  if (!versions.all && versions.exact.length === 0) {
    if (versions.last && !versions.first) return INDEX.lastVersions;
    if (versions.first && !versions.last) return INDEX.firstVersions;
  }
  return INDEX.byDateAdded;
}

export const VERSION_FIELDS = { _id: 0, objectId: 1, type: 1, specVersion: 1, version: 1, dateAdded: 1, mediaType: 1 } as const;
export const OBJECT_FIELDS = { ...VERSION_FIELDS, json: 1 } as const;
const TEXT_FIELDS = { _id: 0, dateAdded: 1, json: 1 } as const;

export type VersionRow = Pick<VersionDocument, 'objectId' | 'type' | 'specVersion' | 'version' | 'dateAdded' | 'mediaType'>;

export function toStoredVersion(row: VersionRow): StoredVersion {
  return {
    id: row.objectId,
    type: row.type,
    specVersion: row.specVersion,
    version: row.version,
    dateAdded: row.dateAdded,
    mediaType: row.mediaType,
  };
}

export function toStoredObject(row: VersionRow & Pick<VersionDocument, 'json'>): StoredObject {
  return { ...toStoredVersion(row), json: row.json };
}

/** Assumed size of a stored object until pages have been read (a typical SDO is under a kilobyte). */
const INITIAL_OBJECT_BYTES = 2048;

/**
 * The average size of the objects recent pages served, so that a page limited by bytes asks the
 * server for about as many documents as its budget holds: one batch for ordinary objects, and for
 * huge ones a batch that overshoots the budget by about one object, not by the whole page.
 */
export class ObjectSizeEstimate {
  private bytes = INITIAL_OBJECT_BYTES;

  get average(): number {
    return this.bytes;
  }

  record(totalBytes: number, count: number): void {
    if (count === 0) return;
    // Halfway towards the latest page: follows objects that grow, soon forgets one odd page.
    this.bytes = Math.max(1, Math.round((this.bytes + totalBytes / count) / 2));
  }
}

/** Documents per batch: the whole page and one more, or as many as the byte budget probably holds. */
export function batchSizeFor(page: PageRequest, averageBytes: number): number {
  const whole = page.limit + 1;
  if (page.maxBytes === undefined) return whole;
  return Math.max(2, Math.min(whole, Math.ceil(page.maxBytes / averageBytes) + 1));
}

export interface PageRead<T> {
  filter: VersionFilter;
  index: string;
  projection: Readonly<Record<string, 0 | 1>>;
  page: PageRequest;
  batchSize: number;
  /** Object pages: the bytes a row counts against `maxBytes` (its stored JSON). */
  sizeOf?: (row: T) => number;
}

/**
 * Reads one page in date_added order: at most `limit` rows and, for object pages with `maxBytes`,
 * no more JSON than the budget beyond the first row. Rows are taken from the cursor one by one,
 * so a page that ends on its budget stops asking the server for more; the cursor is closed before
 * the page is returned, so no server cursor outlives the call. `bytes` is the JSON served.
 */
export async function readPage<T extends Document>(
  objects: Collection<VersionDocument>,
  read: PageRead<T>,
): Promise<Page<T> & { bytes: number }> {
  const { page, sizeOf } = read;
  const cursor = objects.find<T>(read.filter, {
    hint: read.index,
    sort: { dateAdded: 1 },
    limit: page.limit + 1,
    batchSize: read.batchSize,
    projection: read.projection,
  });
  const budget = new PageBudget<T>(page);
  try {
    for await (const row of cursor) {
      if (!budget.offer(row, sizeOf?.(row) ?? 0)) return { items: budget.items, more: true, bytes: budget.bytes };
    }
    return { items: budget.items, more: false, bytes: budget.bytes };
  } finally {
    await cursor.close();
  }
}

type ObjectRow = VersionRow & Pick<VersionDocument, 'json'>;

const jsonBytes = (row: Pick<VersionDocument, 'json'>): number => Buffer.byteLength(row.json);

/** Object and manifest pages, never beyond the committed watermark (see `date-added.ts`). */
export class PageReader {
  private readonly sizes = new ObjectSizeEstimate();

  constructor(
    private readonly objects: Collection<VersionDocument>,
    private readonly watermark: (collectionId: string) => Promise<string | undefined>,
  ) {}

  async objectPage(query: ObjectQuery, page: PageRequest): Promise<Page<StoredObject>> {
    const upTo = await this.watermark(query.collectionId);
    if (upTo === undefined) return { items: [], more: false };
    const rows = await readPage<ObjectRow>(this.objects, {
      filter: objectQueryFilter(query, upTo),
      index: indexForQuery(query),
      projection: OBJECT_FIELDS,
      page,
      batchSize: batchSizeFor(page, this.sizes.average),
      sizeOf: jsonBytes,
    });
    this.sizes.record(rows.bytes, rows.items.length);
    return { items: rows.items.map(toStoredObject), more: rows.more };
  }

  /** The same page as `objectPage` with only date_added and the stored text of each version. */
  async textPage(query: ObjectQuery, page: PageRequest): Promise<Page<ObjectText>> {
    const upTo = await this.watermark(query.collectionId);
    if (upTo === undefined) return { items: [], more: false };
    const rows = await readPage<ObjectText>(this.objects, {
      filter: objectQueryFilter(query, upTo),
      index: indexForQuery(query),
      projection: TEXT_FIELDS,
      page,
      batchSize: batchSizeFor(page, this.sizes.average),
      sizeOf: jsonBytes,
    });
    this.sizes.record(rows.bytes, rows.items.length);
    return { items: rows.items, more: rows.more };
  }

  async versionPage(query: ObjectQuery, page: PageRequest): Promise<Page<StoredVersion>> {
    const upTo = await this.watermark(query.collectionId);
    if (upTo === undefined) return { items: [], more: false };
    const versionsOnly: PageRequest = { limit: page.limit };
    const rows = await readPage<VersionRow>(this.objects, {
      filter: objectQueryFilter(query, upTo),
      index: indexForQuery(query),
      projection: VERSION_FIELDS,
      page: versionsOnly,
      batchSize: batchSizeFor(versionsOnly, this.sizes.average),
    });
    return { items: rows.items.map(toStoredVersion), more: rows.more };
  }
}
