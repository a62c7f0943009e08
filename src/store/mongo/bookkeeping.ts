import { extendSummary, flagsUnder, type VersionSummary } from '../version-summary';
import type { AnyBulkWriteOperation, Collection, Filter } from 'mongodb';
import type { Logger } from 'winston';
import { duplicateKeyPositions } from './errors';
import { headKey } from './keys';
import { INDEX, type ObjectHeadDocument, type VersionDocument } from './schema';

/**
 * Ownership and the first/last/latest-spec flags of each object's versions, without transactions.
 *
 * The flags live on the version documents so listing queries can use indexes; they summarise all
 * versions of an object, so every insert or delete has to revisit them. Two writers touching one
 * object can interleave (FerretDB 1.x has no transactions, and on MongoDB they would serialise
 * hot objects), so a writer's flags can be computed from a view that another writer's change made
 * stale. Every writer therefore ends with a verification: after its last write it reads the
 * object's versions again, and if any flag is wrong for the versions it sees, it corrects them
 * and reads again. Take the last write ever made to an object's versions: its writer's
 * verification read came after it, saw the final versions, and did not stop until their flags
 * were right. So the flags converge, whatever the interleaving, and reads need not be atomic.
 *
 * All of it works on many objects at once: one command reads the versions of every object a call
 * touches, one corrects all their flags.
 */

/** The version fields the bookkeeping and the write path read. */
export type VersionFacts = Pick<
  VersionDocument,
  '_id' | 'objectId' | 'version' | 'specVersionRank' | 'digest' | 'dateAdded' | 'owner' | 'isFirst' | 'isLast' | 'isLatestSpec'
>;
const FACT_FIELDS = {
  _id: 1,
  objectId: 1,
  version: 1,
  specVersionRank: 1,
  digest: 1,
  dateAdded: 1,
  owner: 1,
  isFirst: 1,
  isLast: 1,
  isLatestSpec: 1,
} as const;

export type Flags = Pick<VersionDocument, 'isFirst' | 'isLast' | 'isLatestSpec'>;

/** What the flags of an object's versions are derived from (src/store/version-summary.ts). */
export type ObjectSummary = VersionSummary;

/** The summary of stored version documents, or undefined when there are none. */
export function summarize(versions: Iterable<Pick<VersionDocument, 'version' | 'specVersionRank'>>): ObjectSummary | undefined {
  let summary: ObjectSummary | undefined;
  for (const { version, specVersionRank } of versions) summary = extendSummary(summary, version, specVersionRank);
  return summary;
}

/** The flags a version document has under `summary`, in the documents' field names. */
export function flagsOf(summary: ObjectSummary, version: Pick<VersionDocument, 'version' | 'specVersionRank'>): Flags {
  const flags = flagsUnder(summary, version.version, version.specVersionRank);
  return { isFirst: flags.first, isLast: flags.last, isLatestSpec: flags.latestSpec };
}

/** The `_id`s whose flags must change, grouped by the flags they must get (at most eight groups). */
export class FlagCorrections {
  private readonly groups = new Map<string, { flags: Flags; ids: string[] }>();

  /** Records the corrections that make the stored versions of one object agree with `summary`; false when none is needed. */
  add(summary: ObjectSummary, stored: Iterable<VersionFacts>): boolean {
    let added = false;
    for (const version of stored) {
      const wanted = flagsOf(summary, version);
      if (wanted.isFirst === version.isFirst && wanted.isLast === version.isLast && wanted.isLatestSpec === version.isLatestSpec) continue;
      const key = `${Number(wanted.isFirst)}${Number(wanted.isLast)}${Number(wanted.isLatestSpec)}`;
      let group = this.groups.get(key);
      if (group === undefined) this.groups.set(key, (group = { flags: wanted, ids: [] }));
      group.ids.push(version._id);
      added = true;
    }
    return added;
  }

  get size(): number {
    return this.groups.size;
  }

  /** One `updateMany` per distinct set of flags: a handful of statements whatever the number of versions. */
  operations(): AnyBulkWriteOperation<VersionDocument>[] {
    return [...this.groups.values()].map(({ flags, ids }) => ({
      updateMany: { filter: { _id: { $in: ids } }, update: { $set: flags }, hint: INDEX.id },
    }));
  }
}

/** A head as the write path sees it. */
export type Head = Pick<ObjectHeadDocument, 'owner'>;

/** What a verification read saw about a set of objects. */
export interface PassState {
  /** Heads by object id (only for the objects the reader asked about). */
  heads: Map<string, Head>;
  /** Every stored version, by object id (absent: none). */
  versions: Map<string, VersionFacts[]>;
}

/**
 * Runs in each pass over the objects in `ids`, after the reads (their heads too), before flags are
 * corrected; may remove versions from the state. Returns objects to read again.
 */
export interface Reconciler {
  ids: ReadonlySet<string>;
  reconcile(state: PassState): Promise<string[]>;
}

/** Gives up making passes after this many (logged); the flags converge on the object's next change. */
const MAX_PASSES = 100;
/** Versions read per batch when reading objects' versions: the bookkeeping fields are small. */
const VERSION_BATCH = 10_000;

export class ObjectBookkeeping {
  constructor(
    private readonly objects: Collection<VersionDocument>,
    private readonly heads: Collection<ObjectHeadDocument>,
    private readonly logger: Logger | undefined,
  ) {}

  async owner(collectionId: string, objectId: string): Promise<string | undefined> {
    return (await this.heads.findOne({ _id: headKey(collectionId, objectId) }, { hint: INDEX.id }))?.owner;
  }

  /**
   * Creates the heads of objects that have none, owned by `owner` (one insert command; a duplicate
   * key means the head exists). Returns the ids whose head this call created.
   */
  async createHeads(collectionId: string, objectIds: readonly string[], owner: string | undefined): Promise<Set<string>> {
    const heads = objectIds.map((objectId): ObjectHeadDocument => {
      const head: ObjectHeadDocument = { _id: headKey(collectionId, objectId), collectionId, objectId };
      if (owner !== undefined) head.owner = owner;
      return head;
    });
    const created = new Set(objectIds);
    if (heads.length === 0) return created;
    try {
      await this.heads.insertMany(heads, { ordered: false });
    } catch (error) {
      const duplicates = duplicateKeyPositions(error);
      if (duplicates === undefined) throw error;
      for (const position of duplicates) created.delete(objectIds[position]);
    }
    return created;
  }

  /** Records `owner` on the heads of these objects that have none; read the heads to learn who won. */
  async claimHeads(collectionId: string, objectIds: readonly string[], owner: string): Promise<void> {
    if (objectIds.length === 0) return;
    await this.heads.updateMany({ _id: { $in: this.keys(collectionId, objectIds) }, owner: { $exists: false } }, { $set: { owner } }, { hint: INDEX.id });
  }

  /** Sets the owner recorded on the given version documents (claims, and a push's own versions). */
  async setVersionOwner(filter: Filter<VersionDocument>, owner: string | null, hint: string): Promise<void> {
    await this.objects.updateMany(filter, { $set: { owner } }, { hint });
  }

  async readHeads(collectionId: string, objectIds: readonly string[]): Promise<Map<string, Head>> {
    if (objectIds.length === 0) return new Map();
    const heads = await this.heads
      .find({ _id: { $in: this.keys(collectionId, objectIds) } }, { hint: INDEX.id, projection: { objectId: 1, owner: 1 }, batchSize: objectIds.length + 1 })
      .toArray();
    return new Map(heads.map((head) => [head.objectId, head]));
  }

  async readVersions(collectionId: string, objectIds: readonly string[]): Promise<Map<string, VersionFacts[]>> {
    const byObject = new Map<string, VersionFacts[]>();
    if (objectIds.length === 0) return byObject;
    const cursor = this.objects.find<VersionFacts>(
      { collectionId, objectId: { $in: [...objectIds] } },
      { hint: INDEX.versionUnique, projection: FACT_FIELDS, batchSize: VERSION_BATCH },
    );
    for await (const version of cursor) {
      const list = byObject.get(version.objectId);
      if (list === undefined) byObject.set(version.objectId, [version]);
      else list.push(version);
    }
    return byObject;
  }

  async applyCorrections(corrections: FlagCorrections): Promise<void> {
    // A few statements (one per distinct set of flags), far below FerretDB's limit of 99 per command.
    if (corrections.size > 0) await this.objects.bulkWrite(corrections.operations(), { ordered: false });
  }

  /**
   * The verification every change ends with: reads the objects' versions and corrects wrong flags
   * until a read finds none. Objects left without versions lose their owner.
   */
  async settle(collectionId: string, objectIds: readonly string[], reconciler?: Reconciler): Promise<void> {
    let pending = [...new Set(objectIds)];
    for (let pass = 0; pending.length > 0; pass++) {
      if (pass === MAX_PASSES) {
        this.logger?.warn(`MongoDB bookkeeping: objects still changing after ${MAX_PASSES} passes in collection ${collectionId}; their flags are settled by their next change`);
        return;
      }
      const watched = reconciler === undefined ? [] : pending.filter((id) => reconciler.ids.has(id));
      const [versions, heads] = await Promise.all([this.readVersions(collectionId, pending), this.readHeads(collectionId, watched)]);
      const reconciled = (await reconciler?.reconcile({ heads, versions })) ?? [];
      const corrections = new FlagCorrections();
      const corrected: string[] = [];
      const emptied: string[] = [];
      for (const id of pending) {
        const stored = versions.get(id) ?? [];
        const summary = summarize(stored);
        if (summary === undefined) emptied.push(id);
        else if (corrections.add(summary, stored)) corrected.push(id);
      }
      await this.applyCorrections(corrections);
      // Read again: what we corrected, and objects that got versions while we forgot their owner.
      pending = [...new Set([...corrected, ...reconciled, ...(await this.forgetOwners(collectionId, emptied))])];
    }
  }

  /**
   * An object with no version left has no owner either: anyone may push its id again. Versions a
   * writer stores while we remove the owner (it decided on the head before) would be left without
   * one, so we look again afterwards and give such objects back the owner their versions were
   * stored for. Returns those objects: they need a pass of their own.
   */
  async forgetOwners(collectionId: string, objectIds: readonly string[]): Promise<string[]> {
    if (objectIds.length === 0) return [];
    await this.heads.updateMany({ _id: { $in: this.keys(collectionId, objectIds) }, owner: { $exists: true } }, { $unset: { owner: '' } }, { hint: INDEX.id });
    const stored = await this.readVersions(collectionId, objectIds);
    for (const [id, versions] of stored) {
      const owner = versions.find((version) => typeof version.owner === 'string')?.owner;
      if (typeof owner === 'string') await this.heads.updateOne({ _id: headKey(collectionId, id) }, { $set: { owner } }, { hint: INDEX.id });
    }
    return [...stored.keys()];
  }

  private keys(collectionId: string, objectIds: readonly string[]): string[] {
    return objectIds.map((id) => headKey(collectionId, id));
  }
}
