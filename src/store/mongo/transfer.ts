import type { Collection } from 'mongodb';
import type { ExportedObject, Page } from '../store';
import type { ObjectBookkeeping } from './bookkeeping';
import type { DateAddedAllocator } from './date-added';
import { INDEX, type VersionDocument } from './schema';
import { OBJECT_FIELDS, dateAddedRange, readPage, toStoredObject, type VersionRow } from './query';
import { insertVersions, versionDocument } from './writer';

/** `taxiway copy` for the MongoDB store: versions exported and imported exactly as stored. */

const EXPORT_FIELDS = { ...OBJECT_FIELDS, digest: 1, owner: 1 } as const;
type ExportRow = VersionRow & Pick<VersionDocument, 'json' | 'digest' | 'owner'>;
const NO_FLAGS = { isFirst: false, isLast: false, isLatestSpec: false } as const;

export class Transfer {
  constructor(
    private readonly objects: Collection<VersionDocument>,
    private readonly bookkeeping: ObjectBookkeeping,
    private readonly allocator: DateAddedAllocator,
  ) {}

  /** Collections that hold at least one version: those that ever had a date_added, checked one by one. */
  async listCollectionIds(): Promise<string[]> {
    const withObjects: string[] = [];
    for (const collectionId of await this.allocator.collectionIds()) {
      const any = await this.objects.findOne({ collectionId }, { hint: INDEX.byDateAdded, projection: { _id: 1 } });
      if (any !== null) withObjects.push(collectionId);
    }
    return withObjects;
  }

  async exportObjects(collectionId: string, page: { after?: string; limit: number }): Promise<Page<ExportedObject>> {
    const upTo = await this.allocator.watermark(collectionId);
    if (upTo === undefined) return { items: [], more: false };
    const rows = await readPage<ExportRow>(this.objects, {
      filter: { collectionId, ...dateAddedRange(page.after, upTo) },
      index: INDEX.byDateAdded,
      projection: EXPORT_FIELDS,
      page: { limit: page.limit },
      batchSize: page.limit + 1,
    });
    const items = rows.items.map((row): ExportedObject => {
      const exported: ExportedObject = { ...toStoredObject(row), digest: row.digest };
      if (typeof row.owner === 'string') exported.owner = row.owner;
      return exported;
    });
    return { items, more: rows.more };
  }

  /**
   * Inserts what is missing, keeping date_added and owners (an object that already has an owner
   * keeps it), then settles the flags of every object of the batch: also those whose versions were
   * all present, since an interrupted import may have stored a version without its bookkeeping.
   */
  async importObjects(collectionId: string, exported: readonly ExportedObject[]): Promise<void> {
    if (exported.length === 0) return;
    // First, so pushes arriving during or after the import get later date_added values.
    await this.allocator.recordImported(collectionId, exported.map((object) => object.dateAdded).sort()[exported.length - 1]);
    const ownerOf = new Map<string, string | undefined>();
    for (const object of exported) if (ownerOf.get(object.id) === undefined) ownerOf.set(object.id, object.owner);
    const ids = [...ownerOf.keys()];
    for (const owner of new Set(ownerOf.values())) {
      const sameOwner = ids.filter((id) => ownerOf.get(id) === owner);
      await this.bookkeeping.createHeads(collectionId, sameOwner, owner);
      if (owner !== undefined) await this.bookkeeping.claimHeads(collectionId, sameOwner, owner);
    }
    const heads = await this.bookkeeping.readHeads(collectionId, ids);
    // Versions already in the target follow an owner the import just recorded (see `writer.ts`, claims).
    for (const owner of new Set([...heads.values()].map((head) => head.owner))) {
      if (owner === undefined) continue;
      const claimed = ids.filter((id) => heads.get(id)?.owner === owner);
      await this.bookkeeping.setVersionOwner({ collectionId, objectId: { $in: claimed }, owner: null }, owner, INDEX.versionUnique);
    }
    const documents = exported.map((object) => versionDocument(collectionId, object, object.dateAdded, heads.get(object.id)?.owner ?? null, NO_FLAGS));
    const duplicates = await insertVersions(this.objects, documents);
    if (duplicates.length > 0) await this.expectStored(collectionId, duplicates.map((position) => documents[position]));
    await this.bookkeeping.settle(collectionId, ids);
  }

  /** Versions the import found present; a duplicate that is not one of them is a date_added clash. */
  private async expectStored(collectionId: string, documents: readonly VersionDocument[]): Promise<void> {
    const present = await this.objects.find({ _id: { $in: documents.map((document) => document._id) } }, { hint: INDEX.id, projection: { _id: 1 } }).toArray();
    const ids = new Set(present.map((document) => document._id));
    const clash = documents.find((document) => !ids.has(document._id));
    if (clash !== undefined) {
      throw new Error(`cannot import ${clash.objectId} ${clash.version}: date_added ${clash.dateAdded} is taken in collection ${collectionId}`);
    }
  }
}
