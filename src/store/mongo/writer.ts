import type { Collection } from 'mongodb';
import { specVersionRank } from '../spec-rank';
import type { AddOutcome, DeleteOutcome, IncomingObject, SpecVersionSelection, StoredObject, VersionSelection, Writer } from '../store';
import {
  FlagCorrections,
  flagsOf,
  summarize,
  type Flags,
  type ObjectBookkeeping,
  type ObjectSummary,
  type PassState,
  type VersionFacts,
} from './bookkeeping';
import type { DateAddedAllocator, Reservation } from './date-added';
import { duplicateKeyPositions } from './errors';
import { versionKey } from './keys';
import type { MongoStoreTestHooks } from './options';
import { objectVersionsFilter, type VersionFilter } from './query';
import { INDEX, type VersionDocument } from './schema';

/**
 * Adding and deleting versions. A call costs a constant number of commands, whatever the number
 * of objects: one insert for the heads of all its objects (a duplicate key means the object
 * exists), one read of the existing ones' heads and versions, one insert of every new version, one
 * correction of flags, one verification read (see `bookkeeping.ts`), plus the date_added range
 * (two commands to take it, one to close it). See `docs/mongodb.md`, "The write path".
 */

export function versionDocument(
  collectionId: string,
  object: Omit<StoredObject, 'dateAdded'> & { digest: string },
  dateAdded: string,
  owner: string | null,
  flags: Flags,
): VersionDocument {
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
    owner,
    ...flags,
  };
}

/** Inserts documents in one unordered command; returns the positions refused as duplicate keys. */
export async function insertVersions(objects: Collection<VersionDocument>, documents: readonly VersionDocument[]): Promise<number[]> {
  if (documents.length === 0) return [];
  try {
    await objects.insertMany([...documents], { ordered: false });
    return [];
  } catch (error) {
    const duplicates = duplicateKeyPositions(error);
    if (duplicates === undefined) throw error;
    return duplicates;
  }
}

/** A version as this call knows it: stored before, or stored (or refused) by this call. */
interface KnownVersion {
  digest: string;
  /** Unset until this call's date_added values are handed out. */
  dateAdded?: string;
  /** This call stored it, then had to take it back (the object turned out to be someone else's). */
  refused?: AddOutcome;
}

/** What the call knows and decides about one object id. */
interface IdPlan {
  id: string;
  /** This call created the object's head. */
  created: boolean;
  /** The object's owner as this call stores versions for it (undefined: nobody). */
  owner: string | undefined;
  /** Versions stored before this call (their flags may need correcting). */
  stored: VersionFacts[];
  /** Every version the call knows of, stored before or by the call, by version. */
  known: Map<string, KnownVersion>;
  /** Input positions this call inserts. */
  inserts: number[];
  /** `_id`s of the versions this call stored and still holds. */
  landed: Set<string>;
}

export interface WriterDependencies {
  objects: Collection<VersionDocument>;
  bookkeeping: ObjectBookkeeping;
  allocator: DateAddedAllocator;
  hooks: MongoStoreTestHooks;
}

export class ObjectWriter {
  constructor(private readonly deps: WriterDependencies) {}

  async add(collectionId: string, objects: readonly IncomingObject[], writer: Writer): Promise<AddOutcome[]> {
    if (objects.length === 0) return [];
    // The range (and its lease) comes first: every value used below is then held back from readers
    // until this call has stored its versions and settled their flags.
    const reservation = await this.deps.allocator.reserve(collectionId, objects.length);
    try {
      return await new AddCall(this.deps, collectionId, objects, writer, reservation).run();
    } finally {
      await reservation.release();
    }
  }

  /**
   * Ownership is decided in the delete itself: it matches only versions stored for the deleting
   * user or for nobody, so versions the owner stores while it runs are out of its reach.
   */
  async delete(collectionId: string, objectId: string, versions: VersionSelection, specVersions: SpecVersionSelection, writer: Writer): Promise<DeleteOutcome> {
    const { objects, bookkeeping } = this.deps;
    const selection = objectVersionsFilter(collectionId, objectId, versions, specVersions);
    const deletable: VersionFilter = writer.bypassOwnership ? {} : { owner: { $in: [writer.user ?? null, null] } };
    const { deletedCount } = await objects.deleteMany({ ...selection, ...deletable }, { hint: INDEX.versionUnique });
    if (deletedCount === 0) {
      if (writer.bypassOwnership) return { kind: 'not-found' };
      const refused = await objects.findOne(selection, { hint: INDEX.versionUnique, projection: { _id: 1 } });
      return refused === null ? { kind: 'not-found' } : { kind: 'not-owner' };
    }
    await bookkeeping.settle(collectionId, [objectId]);
    return { kind: 'deleted', count: deletedCount };
  }
}

/** One `addObjects` call. */
class AddCall {
  private readonly outcomes: AddOutcome[];
  private readonly plans = new Map<string, IdPlan>();
  /** Positions that repeat a version this call stores (their outcome follows the stored one). */
  private readonly repeats: number[] = [];
  /** The versions the call gives for each object id. */
  private readonly incoming = new Map<string, string[]>();

  constructor(
    private readonly deps: WriterDependencies,
    private readonly collectionId: string,
    private readonly objects: readonly IncomingObject[],
    private readonly writer: Writer,
    private readonly reservation: Reservation,
  ) {
    this.outcomes = new Array<AddOutcome>(objects.length);
    for (const object of objects) {
      const versions = this.incoming.get(object.id);
      if (versions === undefined) this.incoming.set(object.id, [object.version]);
      else versions.push(object.version);
    }
  }

  async run(): Promise<AddOutcome[]> {
    try {
      await this.learn([...this.incoming.keys()]);
      await this.claim();
      await this.store(this.decide());
    } catch (error) {
      await this.abandonHeads().catch(() => undefined);
      throw error;
    }
    const touched = [...this.plans.values()].filter((plan) => plan.inserts.length > 0);
    const existing = new Set(touched.filter((plan) => !plan.created).map((plan) => plan.id));
    await this.deps.bookkeeping.settle(
      this.collectionId,
      touched.map((plan) => plan.id),
      { ids: existing, reconcile: (state) => this.reconcile(state) },
    );
    this.resolveRepeats();
    return this.outcomes;
  }

  /**
   * Creates the heads of new objects (owned by the writer; a duplicate key means the object
   * exists), then reads the owners and versions of the existing ones in one round trip.
   */
  private async learn(ids: readonly string[]): Promise<void> {
    const { bookkeeping } = this.deps;
    const created = await bookkeeping.createHeads(this.collectionId, ids, this.writer.user);
    const existing = ids.filter((id) => !created.has(id));
    const [heads, versions] = await Promise.all([bookkeeping.readHeads(this.collectionId, existing), bookkeeping.readVersions(this.collectionId, existing)]);
    for (const id of ids) {
      const owner = created.has(id) ? this.writer.user : heads.get(id)?.owner;
      this.plans.set(id, this.newPlan(id, created.has(id), owner, versions.get(id) ?? []));
    }
  }

  private newPlan(id: string, created: boolean, owner: string | undefined, stored: VersionFacts[]): IdPlan {
    const known = new Map(stored.map((version): [string, KnownVersion] => [version.version, { digest: version.digest, dateAdded: version.dateAdded }]));
    return { id, created, owner, stored, known, inserts: [], landed: new Set() };
  }

  /** Whether the call gives a version of this object that is not stored yet. */
  private bringsNewVersions(plan: IdPlan): boolean {
    return (this.incoming.get(plan.id) ?? []).some((version) => !plan.known.has(version));
  }

  /**
   * A named writer adding versions to an object nobody owns becomes its owner: its head first (on
   * MongoDB exactly one of two racing claimers matches `owner: {$exists: false}`), then the versions
   * already stored, so its deletes cover them and other users' do not.
   */
  private async claim(): Promise<void> {
    const user = this.writer.user;
    if (user === undefined) return;
    const claimable = [...this.plans.values()].filter((plan) => !plan.created && plan.owner === undefined && this.bringsNewVersions(plan));
    if (claimable.length === 0) return;
    const { bookkeeping } = this.deps;
    const ids = claimable.map((plan) => plan.id);
    await bookkeeping.claimHeads(this.collectionId, ids, user);
    const heads = await bookkeeping.readHeads(this.collectionId, ids);
    for (const plan of claimable) plan.owner = heads.get(plan.id)?.owner;
    const won = claimable.filter((plan) => plan.owner === user).map((plan) => plan.id);
    if (won.length > 0) {
      await bookkeeping.setVersionOwner({ collectionId: this.collectionId, objectId: { $in: won }, owner: null }, user, INDEX.versionUnique);
    }
  }

  /** Outcomes in input order; returns the positions to insert. */
  private decide(): number[] {
    const inserts: number[] = [];
    this.objects.forEach((object, position) => {
      const plan = this.plans.get(object.id) as IdPlan;
      const known = plan.known.get(object.version);
      if (known !== undefined) {
        if (known.dateAdded === undefined) this.repeats.push(position);
        else this.outcomes[position] = sameContent(known, object);
        return;
      }
      if (plan.owner !== undefined && plan.owner !== this.writer.user && !this.writer.bypassOwnership) {
        this.outcomes[position] = { kind: 'not-owner', owner: plan.owner };
        return;
      }
      plan.known.set(object.version, { digest: object.digest });
      plan.inserts.push(position);
      inserts.push(position);
    });
    return inserts;
  }

  /**
   * Inserts the new versions with the flags they have once the call is done, then corrects the
   * older versions that lose a flag. Versions another writer stored between our read and our
   * insert come back as duplicate keys and are read back to tell duplicates from conflicts.
   */
  private async store(positions: readonly number[]): Promise<void> {
    for (const position of positions) await this.deps.hooks.beforeInsert?.(this.collectionId, this.objects[position].id);
    const dates = await this.reservation.dates(positions.length);
    const dateOf = new Map(positions.map((position, i) => [position, dates[i]]));
    const documents: Array<{ position: number; document: VersionDocument }> = [];
    const corrections = new FlagCorrections();
    for (const plan of this.plans.values()) {
      if (plan.inserts.length === 0) continue;
      const incoming = plan.inserts.map((position) => {
        const object = this.objects[position];
        return { position, object, ranked: { version: object.version, specVersionRank: specVersionRank(object.specVersion) } };
      });
      // The plan inserts something, so there is a summary.
      const summary = summarize([...plan.stored, ...incoming.map(({ ranked }) => ranked)]) as ObjectSummary;
      for (const { position, object, ranked } of incoming) {
        const dateAdded = dateOf.get(position) as string;
        const document = versionDocument(this.collectionId, object, dateAdded, plan.owner ?? null, flagsOf(summary, ranked));
        documents.push({ position, document });
        plan.landed.add(document._id);
        (plan.known.get(object.version) as KnownVersion).dateAdded = dateAdded;
        this.outcomes[position] = { kind: 'added', dateAdded };
      }
      corrections.add(summary, plan.stored);
    }
    const duplicates = await insertVersions(this.deps.objects, documents.map(({ document }) => document));
    if (duplicates.length > 0) await this.readRaces(duplicates.map((index) => documents[index]));
    await this.deps.bookkeeping.applyCorrections(corrections);
  }

  /** Versions another writer stored first: duplicates or conflicts, by the stored digest. */
  private async readRaces(refused: ReadonlyArray<{ position: number; document: VersionDocument }>): Promise<void> {
    const stored = await this.deps.objects
      .find({ _id: { $in: refused.map(({ document }) => document._id) } }, { hint: INDEX.id, projection: { digest: 1, dateAdded: 1 } })
      .toArray();
    const byId = new Map(stored.map((document) => [document._id, document]));
    for (const { position, document } of refused) {
      const found = byId.get(document._id);
      if (found === undefined) {
        throw new Error(`cannot store ${document.objectId} ${document.version}: date_added ${document.dateAdded} is already taken in collection ${this.collectionId}`);
      }
      const plan = this.plans.get(document.objectId) as IdPlan;
      plan.landed.delete(document._id);
      plan.known.set(document.version, { digest: found.digest, dateAdded: found.dateAdded });
      this.outcomes[position] = sameContent(found, document);
    }
  }

  /**
   * Runs in the verification of the existing objects this call stored versions of. If the object's
   * owner is no longer the one our versions were stored for (its last version was deleted meanwhile,
   * which forgets the owner, and perhaps someone else pushed it since), our versions follow the rule
   * as if pushed now: we claim an ownerless object, a maintainer's versions take the current owner,
   * and anyone else's are taken back (not-owner). Returns the objects to verify again.
   */
  private async reconcile(state: PassState): Promise<string[]> {
    const { bookkeeping, objects } = this.deps;
    const again: string[] = [];
    for (const [id, head] of state.heads) {
      const plan = this.plans.get(id) as IdPlan;
      const ours = (state.versions.get(id) ?? []).filter((version) => plan.landed.has(version._id));
      if (ours.length === 0 || head.owner === plan.owner) continue;
      again.push(id);
      const mine = { _id: { $in: ours.map((version) => version._id) } };
      if (head.owner === undefined || this.writer.bypassOwnership) {
        // A claim lost to another writer shows when the head is read again.
        if (head.owner === undefined && this.writer.user !== undefined) await bookkeeping.claimHeads(this.collectionId, [id], this.writer.user);
        plan.owner = head.owner ?? this.writer.user;
        await bookkeeping.setVersionOwner(mine, plan.owner ?? null, INDEX.id);
        continue;
      }
      const owner = head.owner;
      await objects.deleteMany({ ...mine, owner: plan.owner ?? null }, { hint: INDEX.id });
      state.versions.set(id, (state.versions.get(id) ?? []).filter((version) => !plan.landed.has(version._id)));
      for (const position of plan.inserts) {
        const object = this.objects[position];
        if (!plan.landed.delete(versionKey(this.collectionId, object.id, object.version))) continue;
        this.outcomes[position] = { kind: 'not-owner', owner };
        (plan.known.get(object.version) as KnownVersion).refused = this.outcomes[position];
      }
    }
    return again;
  }

  /** Repeats of a version given earlier in the call get the outcome its stored version implies. */
  private resolveRepeats(): void {
    for (const position of this.repeats) {
      const object = this.objects[position];
      const known = (this.plans.get(object.id) as IdPlan).known.get(object.version) as KnownVersion;
      this.outcomes[position] = known.refused ?? sameContent(known, object);
    }
  }

  /**
   * After a failure: objects whose head this call created and that have no version (ours did not
   * land) lose the owner again, so a push that stored nothing leaves no owner behind. Best effort:
   * the database may be what failed. An acknowledgement can be lost after the write, so the
   * versions are looked for first.
   */
  private async abandonHeads(): Promise<void> {
    const created = [...this.plans.values()].filter((plan) => plan.created).map((plan) => plan.id);
    if (created.length === 0) return;
    const stored = await this.deps.bookkeeping.readVersions(this.collectionId, created);
    await this.deps.bookkeeping.forgetOwners(this.collectionId, created.filter((id) => !stored.has(id)));
  }
}

function sameContent(stored: { digest: string; dateAdded?: string }, object: { digest: string }): AddOutcome {
  return stored.digest === object.digest && stored.dateAdded !== undefined ? { kind: 'duplicate', dateAdded: stored.dateAdded } : { kind: 'conflict' };
}
