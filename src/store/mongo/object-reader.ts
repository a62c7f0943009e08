import type { Collection, Document } from 'mongodb';
import type { ExportedObject, ObjectQuery, Page, PageRequest, StoredObject, StoredVersion } from '../store';
import type { ObjectBookkeeping } from './bookkeeping';
import type { DateAddedAllocator } from './date-added';
import { dateAddedRange, indexForQuery, objectQueryFilter, type VersionFilter } from './object-filters';
import { INDEX, type VersionDocument } from './schema';

const VERSION_FIELDS = { _id: 0, objectId: 1, type: 1, specVersion: 1, version: 1, dateAdded: 1, mediaType: 1 } as const;
const OBJECT_FIELDS = { ...VERSION_FIELDS, json: 1 } as const;
const EXPORT_FIELDS = { ...OBJECT_FIELDS, digest: 1 } as const;

type Projected<K extends keyof VersionDocument> = Pick<VersionDocument, K>;
type VersionRow = Projected<'objectId' | 'type' | 'specVersion' | 'version' | 'dateAdded' | 'mediaType'>;

/** Listing queries: keyset pages in date_added order, never beyond the committed watermark. */
export class ObjectReader {
  constructor(
    private readonly objects: Collection<VersionDocument>,
    private readonly allocator: DateAddedAllocator,
    private readonly bookkeeping: ObjectBookkeeping,
  ) {}

  async queryVersions(query: ObjectQuery, page: PageRequest): Promise<Page<StoredVersion>> {
    const rows = await this.page<VersionRow>(query, page, VERSION_FIELDS);
    return { more: rows.more, items: rows.items.map(toStoredVersion) };
  }

  async queryObjects(query: ObjectQuery, page: PageRequest): Promise<Page<StoredObject>> {
    const rows = await this.page<VersionRow & Projected<'json'>>(query, page, OBJECT_FIELDS);
    return { more: rows.more, items: rows.items.map((row) => ({ ...toStoredVersion(row), json: row.json })) };
  }

  async exportObjects(collectionId: string, page: PageRequest): Promise<Page<ExportedObject>> {
    const upTo = await this.allocator.watermark(collectionId);
    if (upTo === undefined) return { items: [], more: false };
    const filter: VersionFilter = { collectionId, ...dateAddedRange([page.afterDateAdded], upTo) };
    const rows = await this.fetch<VersionRow & Projected<'json' | 'digest'>>(filter, INDEX.byDateAdded, page.limit, EXPORT_FIELDS);
    const owners = await this.bookkeeping.owners(collectionId, [...new Set(rows.items.map((row) => row.objectId))]);
    const items = rows.items.map((row): ExportedObject => {
      const owner = owners.get(row.objectId);
      const exported: ExportedObject = { ...toStoredVersion(row), json: row.json, digest: row.digest };
      if (owner !== undefined) exported.owner = owner;
      return exported;
    });
    return { items, more: rows.more };
  }

  /** Collections that ever had a date_added allocated (some may be empty now). */
  collectionIdsEverWritten(): Promise<string[]> {
    return this.allocator.collectionIds();
  }

  async hasAny(collectionId: string, objectId?: string): Promise<boolean> {
    const found =
      objectId === undefined
        ? await this.objects.findOne({ collectionId }, { hint: INDEX.byDateAdded, projection: { _id: 1 } })
        : await this.objects.findOne({ collectionId, objectId }, { hint: INDEX.versionUnique, projection: { _id: 1 } });
    return found !== null;
  }

  private async page<T extends VersionRow & Document>(
    query: ObjectQuery,
    page: PageRequest,
    projection: Readonly<Record<string, 0 | 1>>,
  ): Promise<Page<T>> {
    const upTo = await this.allocator.watermark(query.collectionId);
    if (upTo === undefined) return { items: [], more: false };
    return this.fetch<T>(objectQueryFilter(query, page.afterDateAdded, upTo), indexForQuery(query), page.limit, projection);
  }

  /** One page plus one row: the extra row only tells whether there is more. */
  private async fetch<T extends Document>(
    filter: VersionFilter,
    index: string,
    limit: number,
    projection: Readonly<Record<string, 0 | 1>>,
  ): Promise<Page<T>> {
    const rows = await this.objects
      .find<T>(filter, { hint: index, sort: { dateAdded: 1 }, limit: limit + 1, projection })
      .toArray();
    const more = rows.length > limit;
    return { items: more ? rows.slice(0, limit) : rows, more };
  }
}

function toStoredVersion(row: VersionRow): StoredVersion {
  return {
    id: row.objectId,
    type: row.type,
    specVersion: row.specVersion,
    version: row.version,
    dateAdded: row.dateAdded,
    mediaType: row.mediaType,
  };
}
