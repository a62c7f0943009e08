import type { Collection } from 'mongodb';
import type { AddOutcome, ExportedObject, IncomingObject, Writer } from '../store';
import type { ObjectBookkeeping } from './bookkeeping';
import type { DateAddedAllocator, Reservation } from './date-added';
import { isDuplicateKeyError } from './errors';
import type { MongoStoreTestHooks } from './options';
import { versionKey } from './keys';
import { INDEX, type VersionDocument } from './schema';
import { specVersionRank } from '../spec-rank';

/** Adds versions (pushes) and imports them (`taxiway copy`). */
export class ObjectWriter {
  constructor(
    private readonly objects: Collection<VersionDocument>,
    private readonly bookkeeping: ObjectBookkeeping,
    private readonly allocator: DateAddedAllocator,
    private readonly hooks: MongoStoreTestHooks,
  ) {}

  async add(collectionId: string, incoming: readonly IncomingObject[], writer: Writer): Promise<AddOutcome[]> {
    if (incoming.length === 0) return [];
    const reservation = await this.allocator.reserve(collectionId, incoming.length);
    try {
      const outcomes: AddOutcome[] = [];
      // One at a time, in order: date_added must increase in input order, and each outcome is only
      // known once the previous write is acknowledged.
      for (const object of incoming) outcomes.push(await this.addOne(collectionId, object, writer, reservation));
      return outcomes;
    } finally {
      await reservation.release();
    }
  }

  async import(collectionId: string, exported: readonly ExportedObject[]): Promise<void> {
    if (exported.length === 0) return;
    // First, so pushes arriving during or after the import get later date_added values.
    const latest = exported.map((object) => object.dateAdded).sort().at(-1) as string;
    await this.allocator.recordImported(collectionId, latest);
    // Every object of the batch gets its flags checked, also those whose versions are all present:
    // an interrupted import may have stored a version without finishing its bookkeeping.
    const touchedIds = new Set<string>();
    for (const object of exported) {
      touchedIds.add(object.id);
      if (await this.findVersion(collectionId, object.id, object.version)) continue;
      await this.bookkeeping.importOwner(collectionId, object.id, object.owner);
      try {
        await this.objects.insertOne(toDocument(collectionId, object, object.dateAdded, false));
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        if (await this.findVersion(collectionId, object.id, object.version)) continue;
        throw new Error(
          `cannot import ${object.id} ${object.version}: date_added ${object.dateAdded} is taken in collection ${collectionId}`,
        );
      }
    }
    for (const objectId of touchedIds) await this.bookkeeping.afterChange(collectionId, objectId);
  }

  private async addOne(
    collectionId: string,
    object: IncomingObject,
    writer: Writer,
    reservation: Reservation,
  ): Promise<AddOutcome> {
    const claim = await this.claim(collectionId, object, writer);
    if (claim.kind !== 'claimed') {
      reservation.skip();
      return claim.outcome;
    }
    const { createdHead } = claim;
    let dateAdded: string;
    try {
      await this.hooks.beforeInsert?.(collectionId, object.id);
      dateAdded = await reservation.take();
      await this.objects.insertOne(toDocument(collectionId, object, dateAdded, createdHead));
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        // Another writer stored this version between our check and our insert.
        const raced = await this.findVersion(collectionId, object.id, object.version);
        if (raced) return sameContent(raced, object);
      }
      if (createdHead) await this.abandonClaim(collectionId, object).catch(() => undefined);
      throw error;
    }
    await this.bookkeeping.afterChange(collectionId, object.id, createdHead);
    return { kind: 'added', dateAdded };
  }

  /**
   * Duplicate, conflict and ownership checks, in that order, and the ownership claim. A new object
   * (the common case) costs one insert: creating its head succeeds only if no version of it is
   * stored, and records the writer as owner before anything else can be stored.
   */
  private async claim(
    collectionId: string,
    object: IncomingObject,
    writer: Writer,
  ): Promise<{ kind: 'claimed'; createdHead: boolean } | { kind: 'refused'; outcome: AddOutcome }> {
    if (await this.bookkeeping.createHead(collectionId, object.id, writer.user)) return { kind: 'claimed', createdHead: true };
    const existing = await this.findVersion(collectionId, object.id, object.version);
    if (existing) return { kind: 'refused', outcome: sameContent(existing, object) };
    const head = await this.bookkeeping.head(collectionId, object.id);
    // The head vanished (its last version was just deleted): treat the object as new.
    if (!head) return this.claim(collectionId, object, writer);
    const owner = await this.bookkeeping.claimOwnership(head, writer);
    if (owner !== undefined && owner !== writer.user && !writer.bypassOwnership) {
      return { kind: 'refused', outcome: { kind: 'not-owner', owner } };
    }
    return { kind: 'claimed', createdHead: false };
  }

  /**
   * After a failed insert of a new object: do not leave the id owned by a push that stored nothing.
   * Best effort (the database may be what failed), and only if the insert really did not land
   * (an acknowledgement can be lost after the write).
   */
  private async abandonClaim(collectionId: string, object: IncomingObject): Promise<void> {
    if (await this.findVersion(collectionId, object.id, object.version)) return;
    await this.bookkeeping.abandonHead(collectionId, object.id);
  }

  private findVersion(collectionId: string, objectId: string, version: string): Promise<VersionDocument | null> {
    return this.objects.findOne(
      { _id: versionKey(collectionId, objectId, version) },
      { hint: INDEX.id, projection: { digest: 1, dateAdded: 1 } },
    );
  }
}

function sameContent(existing: Pick<VersionDocument, 'digest' | 'dateAdded'>, object: IncomingObject): AddOutcome {
  return existing.digest === object.digest ? { kind: 'duplicate', dateAdded: existing.dateAdded } : { kind: 'conflict' };
}

/** `onlyVersion`: the object is new, so this version is its first, last and latest spec. */
function toDocument(collectionId: string, object: IncomingObject, dateAdded: string, onlyVersion: boolean): VersionDocument {
  return {
    _id: versionKey(collectionId, object.id, object.version),
    collectionId,
    objectId: object.id,
    version: object.version,
    type: object.type,
    specVersion: object.specVersion,
    specVersionRank: specVersionRank(object.specVersion),
    dateAdded,
    mediaType: object.mediaType,
    json: object.json,
    digest: object.digest,
    // Checked by the bookkeeping right after the insert; until then the version is above the
    // readers' watermark (or, for imports, being copied into a store nobody reads yet).
    isFirst: onlyVersion,
    isLast: onlyVersion,
    isLatestSpec: onlyVersion,
  };
}
