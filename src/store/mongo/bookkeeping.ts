import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import type { Writer } from '../store';
import { isDuplicateKeyError } from './errors';
import { headKey } from './keys';
import { ID_KEY, INDEX, type ObjectHeadDocument, type VersionDocument } from './schema';

type VersionFlags = Pick<VersionDocument, '_id' | 'version' | 'specVersionRank' | 'isFirst' | 'isLast' | 'isLatestSpec'>;
const FLAG_FIELDS = { _id: 1, version: 1, specVersionRank: 1, isFirst: 1, isLast: 1, isLatestSpec: 1 } as const;

/**
 * Ownership and the first/last/latest-spec flags of each object's versions.
 *
 * The flags live on the version documents so listing queries can use indexes; they summarise all
 * versions of an object, so every insert or delete has to revisit them. Without transactions
 * (FerretDB 1.x has none) two writers touching one object could interleave, so the object's head
 * document carries a `revision`, bumped after every change to its versions. A writer then reads
 * the object's versions, corrects the flags that are wrong, and re-reads the revision; if someone
 * changed the object meanwhile it goes round again. Whoever changes the object last makes a pass
 * that sees every version, and any writer whose pass may have been stale makes another one after
 * it, so the flags converge to the truth.
 */
export class ObjectBookkeeping {
  constructor(
    private readonly objects: Collection<VersionDocument>,
    private readonly heads: Collection<ObjectHeadDocument>,
  ) {}

  /** The object's head, or null when no version of it is stored (nor being stored). */
  head(collectionId: string, objectId: string): Promise<ObjectHeadDocument | null> {
    return this.heads.findOne({ _id: headKey(collectionId, objectId) }, { hint: INDEX.id });
  }

  /**
   * Creates the head of an object that has none, with the writer as owner (an insert: atomic on
   * every server, and the cheapest write). Returns false when the object already has a head.
   */
  async createHead(collectionId: string, objectId: string, owner: string | undefined): Promise<boolean> {
    const head: ObjectHeadDocument = { _id: headKey(collectionId, objectId), collectionId, objectId, revision: 0 };
    if (owner !== undefined) head.owner = owner;
    try {
      await this.heads.insertOne(head);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Removes a head this writer created if nothing has been recorded for the object since. */
  async abandonHead(collectionId: string, objectId: string): Promise<void> {
    await this.heads.deleteOne({ _id: headKey(collectionId, objectId), revision: 0 }, { hint: INDEX.id });
  }

  /**
   * For an object that has a head: records the writer as owner when the object has none yet (it
   * was pushed anonymously so far). Returns the owner afterwards.
   */
  async claimOwnership(head: ObjectHeadDocument, writer: Writer): Promise<string | undefined> {
    if (head.owner !== undefined || writer.user === undefined) return head.owner;
    await this.heads.updateOne(
      { _id: head._id, owner: { $exists: false } },
      { $set: { owner: writer.user } },
      { hint: INDEX.id },
    );
    return (await this.heads.findOne({ _id: head._id }, { hint: INDEX.id }))?.owner;
  }

  async owner(collectionId: string, objectId: string): Promise<string | undefined> {
    return (await this.head(collectionId, objectId))?.owner;
  }

  async owners(collectionId: string, objectIds: readonly string[]): Promise<Map<string, string>> {
    // By _id: the only lookup every MongoDB-wire server (FerretDB included) serves from an index.
    const heads = await this.heads
      .find({ _id: { $in: objectIds.map((id) => headKey(collectionId, id)) } }, { hint: INDEX.id })
      .toArray();
    const owners = new Map<string, string>();
    for (const head of heads) if (typeof head.owner === 'string') owners.set(head.objectId, head.owner);
    return owners;
  }

  /** Records an owner for an imported object unless it already has one. */
  async importOwner(collectionId: string, objectId: string, owner: string | undefined): Promise<void> {
    if (await this.createHead(collectionId, objectId, owner)) return;
    const head = await this.head(collectionId, objectId);
    if (head) await this.claimOwnership(head, { user: owner, bypassOwnership: true });
  }

  /**
   * Call after inserting or deleting versions of an object: brings its flags up to date.
   *
   * `createdHead`: this writer created the object's head just before inserting the version, and
   * inserted it with all three flags set. If the head's revision is still 0 after the insert, no
   * other writer has recorded a change: any other writer of this object records its change later,
   * and its pass then sees our version. So the flags are right, and the object's versions need
   * not be read. This keeps new objects (the bulk of any ingest) at three round trips.
   */
  async afterChange(collectionId: string, objectId: string, createdHead = false): Promise<void> {
    const _id = headKey(collectionId, objectId);
    if (createdHead && (await this.head(collectionId, objectId))?.revision === 0) return;
    const marked = await this.heads.findOneAndUpdate(
      { _id },
      { $inc: { revision: 1 }, $setOnInsert: { collectionId, objectId } },
      { upsert: true, returnDocument: 'after', hint: ID_KEY },
    );
    let revision = marked?.revision;
    for (;;) {
      const remaining = await this.correctFlags(collectionId, objectId);
      if (remaining === 0) {
        // No version left: the object is gone, and so is its owner (anyone may push the id again).
        await this.heads.deleteOne({ _id, revision }, { hint: INDEX.id });
      }
      const head = await this.heads.findOne({ _id }, { hint: INDEX.id, projection: { revision: 1 } });
      if (!head || head.revision === revision) return;
      revision = head.revision;
    }
  }

  /** One pass: reads the object's versions and fixes every wrong flag. Returns how many versions exist. */
  private async correctFlags(collectionId: string, objectId: string): Promise<number> {
    const versions = await this.objects
      .find<VersionFlags>({ collectionId, objectId }, { hint: INDEX.versionUnique, projection: FLAG_FIELDS })
      .toArray();
    if (versions.length === 0) return 0;
    let first = versions[0].version;
    let last = versions[0].version;
    let latestRank = versions[0].specVersionRank;
    for (const { version, specVersionRank } of versions) {
      if (version < first) first = version;
      if (version > last) last = version;
      if (specVersionRank > latestRank) latestRank = specVersionRank;
    }
    const corrections: AnyBulkWriteOperation<VersionDocument>[] = [];
    for (const stored of versions) {
      const wanted = {
        isFirst: stored.version === first,
        isLast: stored.version === last,
        isLatestSpec: stored.specVersionRank === latestRank,
      };
      if (stored.isFirst !== wanted.isFirst || stored.isLast !== wanted.isLast || stored.isLatestSpec !== wanted.isLatestSpec) {
        // Updates by `_id` alone: an index lookup on MongoDB, and pushed down by FerretDB.
        corrections.push({ updateOne: { filter: { _id: stored._id }, update: { $set: wanted }, hint: INDEX.id } });
      }
    }
    if (corrections.length > 0) await this.objects.bulkWrite(corrections, { ordered: false });
    return versions.length;
  }
}
