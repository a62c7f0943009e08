/**
 * date_added allocation, the chain of ranges and the readers' watermark, over an in-memory fake of
 * the few `date_added_ranges` collection methods the allocator uses: no database needed. The
 * multi-writer behaviour against a real server is in test/store/mongo-multi-writer.test.ts.
 */
import { MongoServerError, type Filter } from 'mongodb';
import { microsToTimestamp } from '../../stix/timestamp';
import { DateAddedAllocator, type RangeCollection } from './date-added';
import type { DateAddedRangeDocument } from './schema';

type Range = DateAddedRangeDocument;
type Condition = Record<string, unknown>;

/** Evaluates the filter shapes the allocator sends: equality, $gt/$gte/$lt, $exists and $or. */
function matches(document: Range, filter: Condition): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    if (field === '$or') return (condition as Condition[]).some((alternative) => matches(document, alternative));
    const value = (document as unknown as Record<string, unknown>)[field];
    if (typeof condition !== 'object' || condition === null) return value === condition;
    return Object.entries(condition as Condition).every(([operator, operand]) => {
      switch (operator) {
        case '$gt':
          return value !== undefined && (value as number | string) > (operand as number | string);
        case '$gte':
          return value !== undefined && (value as number | string) >= (operand as number | string);
        case '$lt':
          return value !== undefined && (value as number | string) < (operand as number | string);
        case '$exists':
          return (value !== undefined) === operand;
        default:
          throw new Error(`fake does not know ${operator}`);
      }
    });
  });
}

/** The ranges collection in memory. Every call yields first, so concurrent callers interleave. */
class FakeRanges implements RangeCollection {
  readonly documents = new Map<string, Range>();
  readonly finds: Condition[] = [];
  updates = 0;

  find(filter: Filter<Range>, options: { sort?: Record<string, 1 | -1>; limit?: number }): { toArray(): Promise<Range[]> } {
    return {
      toArray: async () => {
        await tick();
        this.finds.push(filter as Condition);
        const sort = Object.entries(options.sort ?? {});
        const found = [...this.documents.values()]
          .filter((document) => matches(document, filter as Condition))
          .sort((a, b) => {
            for (const [field, direction] of sort) {
              const x = (a as unknown as Record<string, string | number>)[field];
              const y = (b as unknown as Record<string, string | number>)[field];
              if (x !== y) return (x < y ? -1 : 1) * direction;
            }
            return 0;
          });
        return found.slice(0, options.limit ?? found.length).map((document) => ({ ...document }));
      },
    };
  }

  async insertOne(range: Range): Promise<void> {
    await tick();
    if (this.documents.has(range._id)) throw new MongoServerError({ errmsg: `E11000 duplicate key ${range._id}`, code: 11000 });
    this.documents.set(range._id, { ...range });
  }

  async updateOne(filter: Filter<Range>, update: { $set?: Partial<Range>; $unset?: Record<string, ''> }): Promise<{ matchedCount: number }> {
    await tick();
    const document = [...this.documents.values()].find((candidate) => matches(candidate, filter as Condition));
    if (document === undefined) return { matchedCount: 0 };
    this.updates++;
    Object.assign(document, update.$set);
    for (const field of Object.keys(update.$unset ?? {})) delete (document as unknown as Record<string, unknown>)[field];
    return { matchedCount: 1 };
  }

  async deleteMany(filter: Filter<Range>): Promise<void> {
    await tick();
    for (const [id, document] of this.documents) if (matches(document, filter as Condition)) this.documents.delete(id);
  }

  rangesOf(collectionId: string): Range[] {
    return [...this.documents.values()].filter((range) => range.collectionId === collectionId).sort((a, b) => a.seq - b.seq);
  }
}

function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const LEASE_MS = 30_000;
const T0 = 1_900_000_000_000_000n;

/** Two independent clocks, as the store has: date_added micros and elapsed milliseconds. */
function setup() {
  const time = { micros: T0, ms: 1_000_000 };
  const ranges = new FakeRanges();
  const allocator = (): DateAddedAllocator =>
    new DateAddedAllocator(ranges, () => time.micros, () => time.ms, LEASE_MS);
  return { time, ranges, allocator };
}

const at = (offset: bigint | number): string => microsToTimestamp(T0 + BigInt(offset));

describe('date_added allocation', () => {
  it('hands out consecutive values from the clock, and after the previous range when the clock stands still or steps back', async () => {
    const { time, allocator } = setup();
    const a = allocator();
    const first = await a.reserve('c', 3);
    expect(await first.dates(3)).toEqual([at(0), at(1), at(2)]);
    await first.release();
    const second = await a.reserve('c', 2);
    expect(await second.dates(2)).toEqual([at(3), at(4)]);
    await second.release();
    time.micros = T0 - 3_600_000_000n;
    const third = await a.reserve('c', 1);
    expect(await third.dates(1)).toEqual([at(5)]);
    await third.release();
    time.micros = T0 + 1_000n;
    const fourth = await a.reserve('c', 1);
    expect(await fourth.dates(1)).toEqual([at(1_000)]);
  });

  it('hands out fewer values than reserved (the rest are never used) and nothing for an empty call', async () => {
    const { allocator } = setup();
    const reservation = await allocator().reserve('c', 10);
    expect(await reservation.dates(0)).toEqual([]);
    expect(await reservation.dates(2)).toEqual([at(0), at(1)]);
  });

  it('keeps collections apart', async () => {
    const { allocator } = setup();
    const a = allocator();
    expect(await (await a.reserve('c1', 5)).dates(5)).toHaveLength(5);
    expect(await (await a.reserve('c2', 1)).dates(1)).toEqual([at(0)]);
  });

  it('gives two allocators racing for the same chain link distinct, ordered ranges', async () => {
    const { ranges, allocator } = setup();
    const [a, b] = [allocator(), allocator()];
    const reservations = await Promise.all([a.reserve('c', 4), b.reserve('c', 4), a.reserve('c', 4), b.reserve('c', 4)]);
    const chain = ranges.rangesOf('c');
    expect(chain.map((range) => range.seq)).toEqual([1, 2, 3, 4]);
    for (let i = 1; i < chain.length; i++) expect(chain[i].start).toBe(chain[i - 1].end + 1);
    const dates = (await Promise.all(reservations.map((reservation) => reservation.dates(4)))).flat();
    expect(new Set(dates).size).toBe(16);
  });

  it('appends imported values to the chain, so later values come after them', async () => {
    const { allocator, ranges } = setup();
    const a = allocator();
    await a.recordImported('c', at(1_000_000));
    await a.recordImported('c', at(10)); // older: nothing to record
    expect(ranges.rangesOf('c')).toHaveLength(1);
    expect(await (await a.reserve('c', 1)).dates(1)).toEqual([at(1_000_001)]);
  });

  it('lists every collection that ever had a range, in order', async () => {
    const { allocator } = setup();
    const a = allocator();
    for (const id of ['b', 'a', 'c', 'a']) await (await a.reserve(id, 1)).release();
    expect(await a.collectionIds()).toEqual(['a', 'b', 'c']);
  });

  it('prunes old closed ranges but keeps open ones and the chain end', async () => {
    const { ranges, allocator } = setup();
    const a = allocator();
    const held = await a.reserve('c', 1);
    for (let i = 0; i < 250; i++) await (await a.reserve('c', 1)).release();
    const left = ranges.rangesOf('c');
    expect(left.length).toBeLessThan(200);
    expect(left[0].seq).toBe(1); // still open
    expect(left.at(-1)?.seq).toBe(251);
    await held.release();
  });
});

describe('the readers’ watermark', () => {
  it('is undefined before anything was reserved, and the chain end when every range is closed', async () => {
    const { allocator } = setup();
    const a = allocator();
    expect(await a.watermark('c')).toBeUndefined();
    const reservation = await a.reserve('c', 3);
    await reservation.dates(3);
    await reservation.release();
    expect(await a.watermark('c')).toBe(at(2));
  });

  it('stays before an open range until it closes, even when later ranges closed first', async () => {
    const { allocator } = setup();
    const [writerA, writerB, reader] = [allocator(), allocator(), allocator()];
    await (await writerA.reserve('c', 1)).release(); // value 0 committed
    const slow = await writerA.reserve('c', 2); // values 1-2, open
    const fast = await writerB.reserve('c', 2); // values 3-4
    await fast.dates(2);
    await fast.release();
    expect(await reader.watermark('c')).toBe(at(0));
    await slow.dates(2);
    await slow.release();
    expect(await reader.watermark('c')).toBe(at(4));
  });

  it('stops waiting for a writer whose lease expired, and such a writer takes a later range', async () => {
    const { time, allocator } = setup();
    const [writerA, writerB, reader] = [allocator(), allocator(), allocator()];
    const stuck = await writerA.reserve('c', 1); // value 0, open
    const fast = await writerB.reserve('c', 1); // value 1
    await fast.dates(1);
    await fast.release();
    expect(await reader.watermark('c')).toBe(at(-1)); // before everything
    time.ms += LEASE_MS + 1;
    expect(await reader.watermark('c')).toBe(at(1));
    // The stuck writer wakes up: its range is behind what readers saw.
    expect(await stuck.dates(1)).toEqual([at(2)]);
    await stuck.release();
    expect(await reader.watermark('c')).toBe(at(2));
  });

  it('extends a lease with less than two thirds left, and replaces one with a third or less', async () => {
    const { time, ranges, allocator } = setup();
    const a = allocator();
    const reservation = await a.reserve('c', 2);
    time.ms += LEASE_MS / 2;
    expect(await reservation.dates(1)).toEqual([at(0)]);
    expect(ranges.rangesOf('c')[0].leaseExpiresAtMs).toBe(time.ms + LEASE_MS);
    time.ms += LEASE_MS - LEASE_MS / 3;
    expect(await reservation.dates(2)).toEqual([at(2), at(3)]);
    expect(ranges.rangesOf('c').map((range) => range.leaseExpiresAtMs === undefined)).toEqual([true, false]);
  });

  it('after its first read, reads only the ranges from the oldest open one on', async () => {
    const { ranges, allocator } = setup();
    const [writer, reader] = [allocator(), allocator()];
    for (let i = 0; i < 5; i++) await (await writer.reserve('c', 1)).release();
    const open = await writer.reserve('c', 1); // seq 6
    await (await writer.reserve('c', 1)).release(); // seq 7
    expect(await reader.watermark('c')).toBe(at(4));
    expect(await reader.watermark('c')).toBe(at(4));
    expect(ranges.finds.at(-1)).toEqual({ collectionId: 'c', seq: { $gte: 6 } });
    await open.release();
    expect(await reader.watermark('c')).toBe(at(6));
    expect(await reader.watermark('c')).toBe(at(6));
    expect(ranges.finds.at(-1)).toEqual({ collectionId: 'c', seq: { $gte: 7 } });
  });

  it('never serves a value a concurrent writer may still store, whatever the interleaving', async () => {
    const { allocator } = setup();
    const writers = [allocator(), allocator(), allocator()];
    const reader = allocator();
    const committed = new Set<string>();
    let served: string | undefined;
    const violations: string[] = [];
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 48271) % 2147483647) % n;
    const ticks = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) await tick();
    };
    const write = async (writer: DateAddedAllocator, count: number): Promise<void> => {
      const reservation = await writer.reserve('c', count);
      await ticks(random(4));
      const dates = await reservation.dates(count);
      await ticks(random(6)); // storing the versions takes a while
      for (const date of dates) {
        if (served !== undefined && date <= served) violations.push(`${date} stored after ${served} was served`);
        committed.add(date);
      }
      await ticks(random(3));
      await reservation.release();
    };
    const read = async (): Promise<void> => {
      for (let i = 0; i < 200; i++) {
        const watermark = await reader.watermark('c');
        if (watermark !== undefined && (served === undefined || watermark > served)) served = watermark;
      }
    };
    await Promise.all([read(), ...writers.map(async (writer, i) => {
      for (let round = 0; round < 15; round++) await write(writer, 1 + ((round + i) % 3));
    })]);
    expect(violations).toEqual([]);
    expect(committed.size).toBe(90);
  });
});
