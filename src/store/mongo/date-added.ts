import type { Filter, FindOptions, UpdateFilter, UpdateOptions } from 'mongodb';
import type { Clock, ElapsedClock } from '../../clock';
import { microsToTimestamp, timestampToMicros } from '../../stix/timestamp';
import { isDuplicateKeyError } from './errors';
import { rangeKey } from './keys';
import { INDEX, type DateAddedRangeDocument } from './schema';

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
 * by its `_id`; if another writer got there first, it reads the end again and tries the next number.
 * The range is inserted open (with a lease expiry) and closed when the writer is done, so taking a
 * range and announcing that its values are not committed yet is one insert.
 *
 * Visibility. A reader reads the collection's ranges from the newest back (one index scan in
 * descending `seq` order) and serves only `date_added <= min(end of the newest range, start - 1 of
 * every open, live range)`. Range k exists before range k+1 is inserted, so when the backward scan
 * has seen range M it finds every older range too, in its state at a moment after M was seen;
 * any range inserted after the scan passed the top comes after M and starts after M ends. So
 * nothing at or below the watermark can still appear. `docs/mongodb.md` has the full argument.
 * Each allocator remembers per collection a floor below which every range was seen closed (or
 * dead), so the scan reads only the ranges since the oldest one still open: usually one or two.
 *
 * A writer that dies holds readers back until its lease expires (`leaseMs`). A writer only uses its
 * range while `leaseMs / 3` of the lease remain, and otherwise takes a new range, so clocks may
 * disagree by that much without breaking the rule.
 */

const MAX_RESERVE_ATTEMPTS = 1000;
/** Every this many ranges, closed ranges this far behind the chain's end are deleted (only its end matters). */
const PRUNE_EVERY = 100;

/** The collection methods the allocator uses (`src/store/mongo/date-added.test.ts` fakes them). */
export interface RangeCollection {
  find(filter: Filter<DateAddedRangeDocument>, options: FindOptions): { toArray(): Promise<DateAddedRangeDocument[]> };
  insertOne(range: DateAddedRangeDocument): Promise<unknown>;
  updateOne(
    filter: Filter<DateAddedRangeDocument>,
    update: UpdateFilter<DateAddedRangeDocument>,
    options: UpdateOptions,
  ): Promise<{ matchedCount: number }>;
  deleteMany(filter: Filter<DateAddedRangeDocument>, options: { hint: string }): Promise<unknown>;
}

/** A range this writer holds open. */
export interface LeasedRange {
  _id: string;
  start: number;
  end: number;
  leaseExpiresAtMs: number;
}

const OPEN: Filter<DateAddedRangeDocument> = { leaseExpiresAtMs: { $exists: true } };

export class DateAddedAllocator {
  /** Per collection: every range numbered below was seen closed or dead by this allocator. */
  private readonly floors = new Map<string, number>();

  constructor(
    private readonly ranges: RangeCollection,
    private readonly clock: Clock,
    readonly elapsed: ElapsedClock,
    readonly leaseMs: number,
  ) {}

  /** Reserves `count` consecutive `date_added` values for a writer; release it when done. */
  async reserve(collectionId: string, count: number): Promise<Reservation> {
    return new Reservation(this, collectionId, await this.reserveRange(collectionId, count));
  }

  /** The highest `date_added` readers may be served, or undefined when nothing was ever added. */
  async watermark(collectionId: string): Promise<string | undefined> {
    const floor = this.floors.get(collectionId) ?? 0;
    const ranges = await this.ranges
      .find({ collectionId, seq: { $gte: floor } }, { sort: { seq: -1 }, hint: INDEX.rangesBySeq })
      .toArray();
    if (ranges.length === 0) {
      this.floors.delete(collectionId);
      // The chain's end is never deleted, so only a database emptied by hand gets here.
      return floor === 0 ? undefined : this.watermark(collectionId);
    }
    const nowMs = this.elapsed();
    let visible = ranges[0].end;
    let nextFloor = ranges[0].seq;
    for (const range of ranges) {
      if (range.leaseExpiresAtMs === undefined || range.leaseExpiresAtMs <= nowMs) continue;
      visible = Math.min(visible, range.start - 1);
      nextFloor = Math.min(nextFloor, range.seq);
    }
    this.floors.set(collectionId, nextFloor);
    return microsToTimestamp(BigInt(visible));
  }

  /** Makes later allocations come after an imported `date_added` (imports take no lease). */
  async recordImported(collectionId: string, dateAdded: string): Promise<void> {
    const micros = Number(timestampToMicros(dateAdded));
    for (let attempt = 0; attempt < MAX_RESERVE_ATTEMPTS; attempt++) {
      const tail = await this.tail(collectionId);
      if (tail !== undefined && tail.end >= micros) return;
      const seq = (tail?.seq ?? 0) + 1;
      if (await this.insertRange({ _id: rangeKey(collectionId, seq), collectionId, seq, start: micros, end: micros })) return;
    }
    throw new Error(`could not record imported date_added in collection ${collectionId}: too much contention`);
  }

  /** Ids of every collection that ever had a `date_added` allocated, ascending (one read per collection). */
  async collectionIds(): Promise<string[]> {
    const ids: string[] = [];
    for (;;) {
      const filter: Filter<DateAddedRangeDocument> = ids.length === 0 ? {} : { collectionId: { $gt: ids[ids.length - 1] } };
      const [next] = await this.ranges
        .find(filter, { sort: { collectionId: 1, seq: 1 }, limit: 1, hint: INDEX.rangesBySeq, projection: { collectionId: 1 } })
        .toArray();
      if (next === undefined) return ids;
      ids.push(next.collectionId);
    }
  }

  async reserveRange(collectionId: string, count: number): Promise<LeasedRange> {
    for (let attempt = 0; attempt < MAX_RESERVE_ATTEMPTS; attempt++) {
      const tail = await this.tail(collectionId);
      const now = Number(this.clock());
      const start = tail === undefined ? now : Math.max(now, tail.end + 1);
      const seq = (tail?.seq ?? 0) + 1;
      const range = {
        _id: rangeKey(collectionId, seq),
        collectionId,
        seq,
        start,
        end: start + Math.max(count, 1) - 1,
        leaseExpiresAtMs: this.elapsed() + this.leaseMs,
      };
      if (await this.insertRange(range)) return range;
    }
    throw new Error(`could not reserve date_added values in collection ${collectionId}: too much contention`);
  }

  /** Extends a lease; false when the range is no longer open. */
  async renew(range: LeasedRange): Promise<boolean> {
    const leaseExpiresAtMs = this.elapsed() + this.leaseMs;
    const result = await this.ranges.updateOne({ _id: range._id, ...OPEN }, { $set: { leaseExpiresAtMs } }, { hint: INDEX.id });
    if (result.matchedCount !== 1) return false;
    range.leaseExpiresAtMs = leaseExpiresAtMs;
    return true;
  }

  /** Closes a range: readers may serve its values (those not stored are simply never used). */
  async close(range: LeasedRange): Promise<void> {
    await this.ranges.updateOne({ _id: range._id }, { $unset: { leaseExpiresAtMs: '' } }, { hint: INDEX.id });
  }

  /** The last range of the chain, or undefined when the collection never had one. */
  private async tail(collectionId: string): Promise<DateAddedRangeDocument | undefined> {
    const [last] = await this.ranges
      .find({ collectionId }, { sort: { seq: -1 }, limit: 1, hint: INDEX.rangesBySeq, projection: { seq: 1, end: 1 } })
      .toArray();
    return last;
  }

  /** True when this writer got the range; false when another writer took its number first. */
  private async insertRange(range: DateAddedRangeDocument): Promise<boolean> {
    try {
      await this.ranges.insertOne(range);
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
    if (range.seq % PRUNE_EVERY === 0) await this.prune(range.collectionId, range.seq);
    return true;
  }

  /**
   * Deletes old ranges that are closed, or whose writer died a whole lease period ago. Open ones
   * stay whatever their age: readers must keep seeing them.
   */
  private async prune(collectionId: string, seq: number): Promise<void> {
    await this.ranges.deleteMany(
      {
        collectionId,
        seq: { $lt: seq - PRUNE_EVERY },
        $or: [{ leaseExpiresAtMs: { $exists: false } }, { leaseExpiresAtMs: { $lt: this.elapsed() - this.leaseMs } }],
      },
      { hint: INDEX.rangesBySeq },
    );
  }
}

/** One writer's open range of `date_added` values. */
export class Reservation {
  constructor(
    private readonly allocator: DateAddedAllocator,
    private readonly collectionId: string,
    private range: LeasedRange,
  ) {}

  /**
   * `count` consecutive values for the versions about to be inserted. The lease must outlive the
   * insert: with less than two thirds of it left it is extended, and once too little is left to
   * trust (a stall, a slow database) a fresh range is taken instead, which comes after anything a
   * reader can have been served.
   */
  async dates(count: number): Promise<string[]> {
    if (count === 0) return [];
    const { elapsed, leaseMs } = this.allocator;
    const remainingMs = this.range.leaseExpiresAtMs - elapsed();
    if (count > this.range.end - this.range.start + 1 || remainingMs <= leaseMs / 3) await this.replace(count);
    else if (remainingMs < (leaseMs * 2) / 3 && !(await this.allocator.renew(this.range))) await this.replace(count);
    return Array.from({ length: count }, (_, i) => microsToTimestamp(BigInt(this.range.start + i)));
  }

  async release(): Promise<void> {
    await this.allocator.close(this.range);
  }

  private async replace(count: number): Promise<void> {
    const old = this.range;
    this.range = await this.allocator.reserveRange(this.collectionId, count);
    await this.allocator.close(old);
  }
}
