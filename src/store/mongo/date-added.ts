import { randomUUID } from 'node:crypto';
import { microsToTimestamp, timestampToMicros } from '../../stix/timestamp';
import { isDuplicateKeyError } from './errors';
import { rangeKey } from './keys';
import { INDEX, type DateAddedRangeDocument, type TaxiwayCollections } from './schema';

/**
 * `date_added` allocation, and the committed watermark that keeps several Taxiway processes on one
 * database from showing a reader a `date_added` before an earlier one becomes visible.
 *
 * Only two primitives are relied on, because FerretDB 1.x has nothing else that is atomic (its
 * updates read, modify and rewrite whole documents without isolation): inserting a unique `_id`
 * succeeds for exactly one writer, and a document written by one writer only cannot lose updates.
 *
 * Allocation. The ranges of a collection form a chain numbered 1, 2, 3...; range k+1 starts after
 * range k ends (and not before the clock). A writer reads the chain's end, then inserts range k+1
 * by its `_id`; if another writer got there first, it reads on and tries k+2.
 *
 * Visibility. Before inserting a range, the writer publishes a lease (its own document) whose
 * `start` is at most the range start; it moves `start` forward as it commits, and deletes the
 * lease when done. A reader first reads the chain's end M, then the live leases, and serves only
 * `date_added <= min(M, smallest lease start - 1)`. Any range ending at or below M was inserted
 * before the reader looked, so its lease was already there (or gone because all of it is
 * committed); any range inserted later starts after M. So nothing at or below the watermark can
 * still appear. `docs/mongodb.md` has the full argument.
 *
 * A writer that dies holds readers back until its lease expires (`leaseMs`, renewed while it
 * writes). A writer only uses its range while `leaseMs / 3` of the lease remain, and otherwise
 * takes a new range, so clocks may disagree by that much without breaking the rule.
 */

/** Minimum interval between two lease updates while a batch is being written. */
const PROGRESS_INTERVAL_MS = 200;
const MAX_RESERVE_ATTEMPTS = 1000;
/** Every this many ranges, ranges this far behind the chain's end are deleted (only its end matters). */
const PRUNE_EVERY = 1000;

export interface LeasedRange {
  token: string;
  start: number;
  end: number;
  /** When the lease was last written to expire (wall-clock ms). */
  expiresAtMs: number;
}

export class DateAddedAllocator {
  constructor(
    private readonly collections: Pick<TaxiwayCollections, 'counters' | 'ranges' | 'leases'>,
    private readonly clock: () => bigint,
    readonly leaseMs: number,
  ) {}

  /** Reserves `count` consecutive `date_added` values for a writer; release it when done. */
  async reserve(collectionId: string, count: number): Promise<Reservation> {
    const range = await this.reserveRange(collectionId, count);
    return new Reservation(this, collectionId, range, count);
  }

  /** The highest `date_added` readers may be served, or undefined when nothing was ever added. */
  async watermark(collectionId: string): Promise<string | undefined> {
    const chainEnd = await this.chainEnd(collectionId);
    if (chainEnd === undefined) return undefined;
    const leases = await this.collections.leases.find({ collectionId }, { hint: INDEX.leasesByCollection }).toArray();
    const nowMs = Date.now();
    let visible = chainEnd.end;
    for (const lease of leases) if (lease.expiresAtMs > nowMs) visible = Math.min(visible, lease.start - 1);
    return microsToTimestamp(BigInt(visible));
  }

  /** Makes later allocations come after an imported `date_added` (imports take no lease). */
  async recordImported(collectionId: string, dateAdded: string): Promise<void> {
    const micros = Number(timestampToMicros(dateAdded));
    for (let attempt = 0; attempt < MAX_RESERVE_ATTEMPTS; attempt++) {
      const last = await this.chainEnd(collectionId);
      if (last !== undefined && last.end >= micros) return;
      const seq = (last?.seq ?? 0) + 1;
      if (await this.insertRange({ _id: rangeKey(collectionId, seq), collectionId, seq, start: micros, end: micros })) return;
    }
    throw new Error(`could not record imported date_added in collection ${collectionId}: too much contention`);
  }

  /** Ids of every collection that ever had a `date_added` allocated, ascending. */
  async collectionIds(): Promise<string[]> {
    const counters = await this.collections.counters.find({}, { hint: INDEX.id, sort: { _id: 1 }, projection: { _id: 1 } }).toArray();
    return counters.map((counter) => counter._id);
  }

  async reserveRange(collectionId: string, count: number): Promise<LeasedRange> {
    const token = randomUUID();
    await this.reapDeadLeases(collectionId);
    for (let attempt = 0; attempt < MAX_RESERVE_ATTEMPTS; attempt++) {
      const last = await this.chainEnd(collectionId);
      const now = Number(this.clock());
      const start = last === undefined ? now : Math.max(now, last.end + 1);
      const end = start + count - 1;
      // The lease goes first: a reader that sees the range must also see the lease.
      const expiresAtMs = await this.writeLease(collectionId, token, start);
      const seq = (last?.seq ?? 0) + 1;
      if (await this.insertRange({ _id: rangeKey(collectionId, seq), collectionId, seq, start, end })) {
        return { token, start, end, expiresAtMs };
      }
    }
    await this.releaseLease(token);
    throw new Error(`could not reserve date_added values in collection ${collectionId}: too much contention`);
  }

  /** Moves a lease's start forward and extends it; false when the lease was reaped. */
  async renewLease(collectionId: string, range: LeasedRange, start: number): Promise<boolean> {
    const expiresAtMs = Date.now() + this.leaseMs;
    const result = await this.collections.leases.updateOne(
      { _id: range.token },
      { $set: { collectionId, start, expiresAtMs } },
      { hint: INDEX.id },
    );
    if (result.matchedCount !== 1) return false;
    range.expiresAtMs = expiresAtMs;
    return true;
  }

  async releaseLease(token: string): Promise<void> {
    await this.collections.leases.deleteOne({ _id: token }, { hint: INDEX.id });
  }

  private async writeLease(collectionId: string, token: string, start: number): Promise<number> {
    const expiresAtMs = Date.now() + this.leaseMs;
    await this.collections.leases.updateOne(
      { _id: token },
      { $set: { collectionId, start, expiresAtMs } },
      { upsert: true, hint: INDEX.id },
    );
    return expiresAtMs;
  }

  /** True when this writer got the range; false when another writer took its number first. */
  private async insertRange(range: DateAddedRangeDocument): Promise<boolean> {
    try {
      await this.collections.ranges.insertOne(range);
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
    await this.advanceHint(range.collectionId, range.seq);
    if (range.seq % PRUNE_EVERY === 0) {
      await this.collections.ranges.deleteMany(
        { collectionId: range.collectionId, seq: { $lt: range.seq - PRUNE_EVERY } },
        { hint: INDEX.rangesBySeq },
      );
    }
    return true;
  }

  /** Only a hint for the next reader; losing this update to a concurrent one costs a lookup. */
  private async advanceHint(collectionId: string, seq: number): Promise<void> {
    const update = { $max: { seq } };
    try {
      await this.collections.counters.updateOne({ _id: collectionId }, update, { upsert: true, hint: INDEX.id });
    } catch (error) {
      // Two first writers upserted the counter at once; it exists now.
      if (!isDuplicateKeyError(error)) throw error;
      await this.collections.counters.updateOne({ _id: collectionId }, update, { hint: INDEX.id });
    }
  }

  /** The last range of the chain: from the counter's hint, then forward while ranges exist. */
  private async chainEnd(collectionId: string): Promise<{ seq: number; end: number } | undefined> {
    const counter = await this.collections.counters.findOne({ _id: collectionId }, { hint: INDEX.id });
    let seq = counter?.seq ?? 0;
    // The counter usually names the last range; read it and its successor at once (one round trip).
    const [current, first] = await Promise.all([seq > 0 ? this.range(collectionId, seq) : null, this.range(collectionId, seq + 1)]);
    let end = current?.end;
    for (let next = first; next; next = await this.range(collectionId, seq + 1)) {
      seq = next.seq;
      end = next.end;
    }
    return end === undefined ? undefined : { seq, end };
  }

  private range(collectionId: string, seq: number): Promise<DateAddedRangeDocument | null> {
    return this.collections.ranges.findOne({ _id: rangeKey(collectionId, seq) }, { hint: INDEX.id });
  }

  /** Leases expired for a whole further lease period belong to writers that died; drop them. */
  private async reapDeadLeases(collectionId: string): Promise<void> {
    await this.collections.leases.deleteMany(
      { collectionId, expiresAtMs: { $lt: Date.now() - this.leaseMs } },
      { hint: INDEX.leasesByCollection },
    );
  }
}

/** One writer's range of `date_added` values, handed out in order. */
export class Reservation {
  private next: number;
  private lastRenewMs = Date.now();

  constructor(
    private readonly allocator: DateAddedAllocator,
    private readonly collectionId: string,
    private range: LeasedRange,
    /** Objects of the batch not yet handled, the current one included. */
    private remaining: number,
  ) {
    this.next = range.start;
  }

  /**
   * The `date_added` for the next version to insert. Keeps the lease alive (and lets readers see
   * what is already committed); when the lease is too close to expiry or lost, takes a fresh range,
   * which comes after anything a reader can have been served.
   */
  async take(): Promise<string> {
    const nowMs = Date.now();
    const usableUntil = this.range.expiresAtMs - this.allocator.leaseMs / 3;
    if (nowMs >= usableUntil || this.next > this.range.end) {
      await this.replaceRange();
    } else if (nowMs - this.lastRenewMs >= PROGRESS_INTERVAL_MS) {
      if (await this.allocator.renewLease(this.collectionId, this.range, this.next)) this.lastRenewMs = Date.now();
      else await this.replaceRange();
    }
    const micros = this.next;
    this.next += 1;
    this.remaining = Math.max(1, this.remaining - 1);
    return microsToTimestamp(BigInt(micros));
  }

  /** The current object needs no value (duplicate, conflict, not owner). */
  skip(): void {
    this.remaining = Math.max(1, this.remaining - 1);
  }

  async release(): Promise<void> {
    await this.allocator.releaseLease(this.range.token);
  }

  private async replaceRange(): Promise<void> {
    const old = this.range;
    this.range = await this.allocator.reserveRange(this.collectionId, this.remaining);
    this.next = this.range.start;
    this.lastRenewMs = Date.now();
    await this.allocator.releaseLease(old.token);
  }
}
