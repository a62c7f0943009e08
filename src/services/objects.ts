/**
 * The TAXII object operations other than adding (list, get, versions, manifest, delete), over the
 * store. Routes parse a request into these calls and render what comes back; the console uses the
 * same calls, so there is one data path.
 */
import type { CollectionConfig } from '../config/types';
import type { ObjectQuery, ObjectText, Page, PageRequest, SpecVersionSelection, Store, StoredObject, StoredVersion, VersionSelection, Writer } from '../store/store';
import { ForbiddenError, NotFoundError } from './errors';

/** The filters of a query, without the collection. */
export type ObjectFilters = Omit<ObjectQuery, 'collectionId'>;

export class ObjectService {
  constructor(private readonly store: Store) {}

  /** Objects of a collection, ascending by date_added, with their fields (the console). */
  list(collection: CollectionConfig, filters: ObjectFilters, page: PageRequest): Promise<Page<StoredObject>> {
    return this.store.queryObjects({ ...filters, collectionId: collection.id }, page);
  }

  /** The same page as `list`, only the stored texts and their date_added (GET objects, export). */
  listTexts(collection: CollectionConfig, filters: ObjectFilters, page: PageRequest): Promise<Page<ObjectText>> {
    return this.store.queryObjectTexts({ ...filters, collectionId: collection.id }, page);
  }

  /** The same selection without bodies (GET manifest). */
  manifest(collection: CollectionConfig, filters: ObjectFilters, page: PageRequest): Promise<Page<StoredVersion>> {
    return this.store.queryVersions({ ...filters, collectionId: collection.id }, page);
  }

  /** Versions of one object (the console); unknown objects are NotFound, filtered-out ones an empty page. */
  async get(collection: CollectionConfig, id: string, filters: ObjectFilters, page: PageRequest): Promise<Page<StoredObject>> {
    const found = await this.store.queryObjects({ ...filters, ids: [id], collectionId: collection.id }, page);
    // Only an empty page needs the second look.
    if (found.items.length === 0) await this.requireObject(collection, id);
    return found;
  }

  /** `get` with only the stored texts and their date_added (GET object). */
  async getTexts(collection: CollectionConfig, id: string, filters: ObjectFilters, page: PageRequest): Promise<Page<ObjectText>> {
    const found = await this.store.queryObjectTexts({ ...filters, ids: [id], collectionId: collection.id }, page);
    if (found.items.length === 0) await this.requireObject(collection, id);
    return found;
  }

  /** The versions of one object, every version unless filtered by spec version (GET versions). */
  async versions(collection: CollectionConfig, id: string, filters: ObjectFilters, page: PageRequest): Promise<Page<StoredVersion>> {
    const found = await this.store.queryVersions({ ...filters, ids: [id], versions: { all: true }, collectionId: collection.id }, page);
    if (found.items.length === 0) await this.requireObject(collection, id);
    return found;
  }

  /** Deletes the selected versions of one object; returns how many. Ownership is the store's to decide. */
  async delete(collection: CollectionConfig, id: string, versions: VersionSelection, specVersions: SpecVersionSelection, writer: Writer): Promise<number> {
    const outcome = await this.store.deleteObject(collection.id, id, versions, specVersions, writer);
    switch (outcome.kind) {
      case 'deleted':
        return outcome.count;
      case 'not-owner':
        throw new ForbiddenError('Only the user who first pushed this object, or a collection maintainer, may delete it.');
      case 'not-found':
        throw new NotFoundError(`There is no object ${id.slice(0, 300)} in this collection, or no version of it matches the filters.`);
    }
  }

  private async requireObject(collection: CollectionConfig, id: string): Promise<void> {
    if (!(await this.store.hasObject(collection.id, id))) throw new NotFoundError(`There is no object ${id.slice(0, 300)} in this collection.`);
  }
}
