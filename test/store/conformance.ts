/**
 * The store-conformance suite: the observable behaviour every `Store` must have.
 *
 * Written against the interface only (no SQL, no files), so any store can run it:
 *
 *   describeStoreConformance('sqlite :memory:', async () => ({ store, clock, cleanup }));
 *
 * One store is created per suite; every test writes to its own random collection ids (and status
 * ids), so one database can be shared and reused. Tests that need to control time run only with
 * `{ controllableClock: true }` and a `TestClock` wired into the store; everything else passes
 * with a real clock.
 */
import { randomUUID } from 'node:crypto';
import { microsToTimestamp, timestampToMicros } from '../../src/stix/timestamp';
import type {
  AddOutcome,
  ExportedObject,
  IncomingObject,
  ObjectQuery,
  Store,
  StoreTransfer,
  DeleteOutcome,
  StoredObject,
  StoredVersion,
  Writer,
} from '../../src/store/store';
import {
  ALL_VERSIONS,
  ANY_SPEC,
  FIRST,
  LAST,
  LATEST_SPEC,
  TestClock,
  UNVERSIONED,
  alice,
  anonymous,
  bob,
  everything,
  makeObject,
  makeStatus,
  maintainer,
  newCollectionId,
  query,
  stixId,
  v,
} from './fixtures';

export { TestClock } from './fixtures';

export interface StoreUnderTest {
  /** A store that has not been opened yet (the suite opens it). */
  store: Store & StoreTransfer;
  /** The clock the store reads, when the store accepts one; enables the clock tests. */
  clock?: TestClock;
  cleanup(): Promise<void>;
}

/** `id@version`, the identity of one stored version. */
function key(item: { id: string; version: string }): string {
  return `${item.id}@${item.version}`;
}

function dateAddedOf(outcome: AddOutcome): string {
  if (outcome.kind !== 'added' && outcome.kind !== 'duplicate') throw new Error(`expected added, got ${outcome.kind}`);
  return outcome.dateAdded;
}

function expectStrictlyAscending(dates: readonly string[]): void {
  for (let i = 1; i < dates.length; i++) {
    if (!(dates[i - 1] < dates[i])) throw new Error(`date_added not strictly ascending at ${i}: ${dates[i - 1]} >= ${dates[i]}`);
  }
}

const deleted = (count: number): DeleteOutcome => ({ kind: 'deleted', count });
const NOT_FOUND: DeleteOutcome = { kind: 'not-found' };
const NOT_OWNER: DeleteOutcome = { kind: 'not-owner' };

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export interface ConformanceOptions {
  /**
   * The factory wires a `TestClock` into the store (returned as `clock`): run the tests that
   * freeze or rewind time. Without it they are reported as skipped.
   */
  controllableClock?: boolean;
}

export function describeStoreConformance(
  name: string,
  makeStore: () => Promise<StoreUnderTest>,
  options: ConformanceOptions = {},
): void {
  describe(`Store conformance: ${name}`, () => {
    let store: Store & StoreTransfer;
    let clock: TestClock | undefined;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ store, clock, cleanup } = await makeStore());
      await store.open();
    });
    afterAll(async () => {
      await cleanup();
    });

    /** A test that sets the store's clock; reported as skipped for stores without clock injection. */
    const withClock = (title: string, fn: (clock: TestClock) => Promise<void>): void => {
      (options.controllableClock === true ? it : it.skip)(title, async () => {
        if (clock === undefined) throw new Error('controllableClock is set but the factory supplied no clock');
        const before = clock.now;
        try {
          await fn(clock);
        } finally {
          // Later tests assume a clock near the real present, never one a test rewound.
          clock.set(before > clock.now ? before : clock.now);
        }
      });
    };

    async function add(collectionId: string, objects: IncomingObject[], writer: Writer = alice): Promise<string[]> {
      const outcomes = await store.addObjects(collectionId, objects, writer);
      expect(outcomes.map((o) => o.kind)).toEqual(objects.map(() => 'added'));
      return outcomes.map(dateAddedOf);
    }

    async function all(q: ObjectQuery): Promise<StoredObject[]> {
      const page = await store.queryObjects(q, { limit: 100_000 });
      expect(page.more).toBe(false);
      return page.items;
    }

    async function keys(q: ObjectQuery): Promise<string[]> {
      return (await all(q)).map(key);
    }

    describe('lifecycle', () => {
      it('open() is idempotent and health() reports ok', async () => {
        await store.open();
        const health = await store.health();
        expect(health.ok).toBe(true);
        expect(typeof health.store).toBe('string');
      });
    });

    describe('adding objects', () => {
      it('stores a new version, reports a canonical date_added and records the owner', async () => {
        const c = newCollectionId();
        const object = makeObject();
        const [outcome] = await store.addObjects(c, [object], alice);
        expect(outcome.kind).toBe('added');
        expect(dateAddedOf(outcome)).toMatch(CANONICAL);
        expect(await store.hasObject(c, object.id)).toBe(true);
        expect(await store.getOwner(c, object.id)).toBe('alice');
        const [stored] = await all(everything(c));
        expect(stored).toEqual({
          id: object.id,
          type: object.type,
          specVersion: '2.1',
          version: object.version,
          dateAdded: dateAddedOf(outcome),
          mediaType: object.mediaType,
          json: object.json,
        });
      });

      it('reports an identical re-push as a duplicate with the original date_added and stores nothing', async () => {
        const c = newCollectionId();
        const object = makeObject();
        const [first] = await add(c, [object]);
        const outcomes = await store.addObjects(c, [{ ...object }], alice);
        expect(outcomes).toEqual([{ kind: 'duplicate', dateAdded: first }]);
        // Also for another user: a duplicate is not a new version, so ownership is not consulted.
        expect(await store.addObjects(c, [object], bob)).toEqual([{ kind: 'duplicate', dateAdded: first }]);
        expect(await keys(everything(c))).toEqual([key(object)]);
      });

      it('reports the same id and version with other content as a conflict and keeps the original', async () => {
        const c = newCollectionId();
        const object = makeObject();
        await add(c, [object]);
        const other = makeObject({ id: object.id, version: object.version, extra: { name: 'changed' } });
        expect(await store.addObjects(c, [other], alice)).toEqual([{ kind: 'conflict' }]);
        const stored = await all(everything(c));
        expect(stored.map((s) => s.json)).toEqual([object.json]);
      });

      it('refuses new versions from a user who does not own the id', async () => {
        const c = newCollectionId();
        const original = makeObject({ version: v(1) });
        await add(c, [original], alice);
        const next = makeObject({ id: original.id, version: v(2) });
        expect(await store.addObjects(c, [next], bob)).toEqual([{ kind: 'not-owner', owner: 'alice' }]);
        expect(await store.addObjects(c, [next], anonymous)).toEqual([{ kind: 'not-owner', owner: 'alice' }]);
        expect(await keys(everything(c))).toEqual([key(original)]);
        // The owner may.
        expect((await store.addObjects(c, [next], alice))[0].kind).toBe('added');
      });

      it('lets a writer with bypassOwnership add versions without taking ownership', async () => {
        const c = newCollectionId();
        const original = makeObject({ version: v(1) });
        await add(c, [original], alice);
        const next = makeObject({ id: original.id, version: v(2) });
        expect((await store.addObjects(c, [next], maintainer))[0].kind).toBe('added');
        expect(await store.getOwner(c, original.id)).toBe('alice');
        expect(await keys(query(c))).toEqual([key(next)]);
      });

      it('records no owner for anonymous pushes; the next named writer becomes owner', async () => {
        const c = newCollectionId();
        const first = makeObject({ version: v(1) });
        await add(c, [first], anonymous);
        expect(await store.getOwner(c, first.id)).toBeUndefined();
        await add(c, [makeObject({ id: first.id, version: v(2) })], bob);
        expect(await store.getOwner(c, first.id)).toBe('bob');
        const third = makeObject({ id: first.id, version: v(3) });
        expect(await store.addObjects(c, [third], alice)).toEqual([{ kind: 'not-owner', owner: 'bob' }]);
      });

      it('handles each object of a batch on its own, outcomes in input order', async () => {
        const c = newCollectionId();
        const mine = makeObject({ version: v(1) });
        const theirs = makeObject({ version: v(1) });
        await add(c, [mine], alice);
        await add(c, [theirs], bob);
        const fresh1 = makeObject();
        const fresh2 = makeObject();
        const outcomes = await store.addObjects(
          c,
          [
            fresh1,
            mine,
            makeObject({ id: mine.id, version: v(1), extra: { x: 1 } }),
            makeObject({ id: theirs.id, version: v(2) }),
            makeObject({ id: mine.id, version: v(2) }),
            fresh2,
          ],
          alice,
        );
        expect(outcomes.map((o) => o.kind)).toEqual(['added', 'duplicate', 'conflict', 'not-owner', 'added', 'added']);
        expect(outcomes[3]).toEqual({ kind: 'not-owner', owner: 'bob' });
        const added = [outcomes[0], outcomes[4], outcomes[5]].map(dateAddedOf);
        expectStrictlyAscending(added);
      });

      it('treats the same id in two collections independently', async () => {
        const c1 = newCollectionId();
        const c2 = newCollectionId();
        const object = makeObject();
        await add(c1, [object], alice);
        expect(await store.hasObject(c2, object.id)).toBe(false);
        await add(c2, [makeObject({ id: object.id, version: object.version, extra: { other: true } })], bob);
        expect(await store.getOwner(c1, object.id)).toBe('alice');
        expect(await store.getOwner(c2, object.id)).toBe('bob');
      });

      it('returns the stored JSON text byte for byte', async () => {
        const c = newCollectionId();
        const id = stixId('indicator');
        const json =
          `{ "type":"indicator",\n  "id": "${id}", "name":"caf\\u00e9 ünïcödé 🚀 \\"quoted\\"",` +
          ` "big": 12345678901234567890123, "f": 1.50, "nested": {"z":1,"a":[ ]} }`;
        const object = makeObject({ id, json });
        await add(c, [object]);
        expect((await all(query(c)))[0].json).toBe(json);
        expect((await store.exportObjects(c, { limit: 10 })).items[0].json).toBe(json);
      });
    });

    describe('date_added', () => {
      it('is unique and strictly increasing within one call and across calls', async () => {
        const c = newCollectionId();
        const batch = Array.from({ length: 300 }, () => makeObject());
        const first = await add(c, batch);
        const second = await add(c, [makeObject()]);
        const third = await add(c, Array.from({ length: 5 }, () => makeObject()));
        const dates = [...first, ...second, ...third];
        expectStrictlyAscending(dates);
        expect(new Set(dates).size).toBe(dates.length);
        for (const date of dates) expect(date).toMatch(CANONICAL);
        // Stored order is the order the objects were given.
        const stored = await all(everything(c));
        expect(stored.slice(0, batch.length).map((s) => s.id)).toEqual(batch.map((o) => o.id));
        expect(stored.map((s) => s.dateAdded)).toEqual(dates);
      });

      it('stays unique when concurrent calls write to one collection', async () => {
        const c = newCollectionId();
        const batches = Array.from({ length: 10 }, () => Array.from({ length: 20 }, () => makeObject()));
        const results = await Promise.all(batches.map((batch) => add(c, batch)));
        for (const dates of results) expectStrictlyAscending(dates);
        const dates = results.flat();
        expect(new Set(dates).size).toBe(200);
        const stored = await all(everything(c));
        expect(stored).toHaveLength(200);
        expectStrictlyAscending(stored.map((s) => s.dateAdded));
      });

      it('keeps each collection increasing when writes to two collections interleave', async () => {
        const c1 = newCollectionId();
        const c2 = newCollectionId();
        const dates1: string[] = [];
        const dates2: string[] = [];
        for (let i = 0; i < 5; i++) {
          dates1.push(...(await add(c1, [makeObject()])));
          dates2.push(...(await add(c2, [makeObject(), makeObject()])));
        }
        expectStrictlyAscending(dates1);
        expectStrictlyAscending(dates2);
        expect((await all(everything(c1))).map((o) => o.dateAdded)).toEqual(dates1);
        expect((await all(everything(c2))).map((o) => o.dateAdded)).toEqual(dates2);
      });

      withClock('is the clock time when the clock moves forward', async (clock) => {
        const c = newCollectionId();
        clock.advance(1_000_000_000n);
        const [date] = await add(c, [makeObject()]);
        expect(date).toBe(microsToTimestamp(clock.now));
      });

      withClock('stays strictly increasing with a frozen clock, and when the clock steps back', async (clock) => {
        const c = newCollectionId();
        clock.advance(1_000_000_000n);
        const start = clock.now;
        const dates = [...(await add(c, [makeObject(), makeObject()])), ...(await add(c, [makeObject()]))];
        expect(dates).toEqual([0n, 1n, 2n].map((d) => microsToTimestamp(start + d)));
        clock.set(start - 3_600_000_000n);
        const [afterStepBack] = await add(c, [makeObject()]);
        expect(afterStepBack).toBe(microsToTimestamp(start + 3n));
        clock.set(start + 10n);
      });

      withClock('never reuses the date_added of a deleted newest version', async (clock) => {
        const c = newCollectionId();
        clock.advance(1_000_000_000n);
        const [, newestDate] = await add(c, [makeObject(), makeObject({ id: stixId('malware') })]);
        const newest = (await all(everything(c)))[1];
        expect(await store.deleteObject(c, newest.id, ALL_VERSIONS, ANY_SPEC, alice)).toEqual(deleted(1));
        const [next] = await add(c, [makeObject()]);
        expect(next > newestDate).toBe(true);
        expect(timestampToMicros(next)).toBe(timestampToMicros(newestDate) + 1n);
      });
    });

    describe('filters', () => {
      // One collection holding every case; records in date_added order:
      //   a2 b c a3 a1 d1 d2 e1 e2 (pushed in this order, one call)
      // A: indicator, three versions pushed out of order (v2, v3, then back-filled v1).
      // B: malware, one version.  C: ipv4-addr SCO, the fixed unversioned version.
      // D: indicator, v1 in spec 2.0 then v2 in spec 2.1 (last is the latest spec).
      // E: malware, v1 in spec 2.1 then v2 in spec 2.0 (last is NOT the latest spec).
      const c = newCollectionId();
      const A = stixId('indicator');
      const B = stixId('malware');
      const C = stixId('ipv4-addr');
      const D = stixId('indicator');
      const E = stixId('malware');
      const records = {
        a2: makeObject({ id: A, type: 'indicator', version: v(2) }),
        b: makeObject({ id: B, type: 'malware', version: v(5) }),
        c: makeObject({ id: C, type: 'ipv4-addr', version: UNVERSIONED, extra: { value: '198.51.100.3' } }),
        a3: makeObject({ id: A, type: 'indicator', version: v(3) }),
        a1: makeObject({ id: A, type: 'indicator', version: v(1) }),
        d1: makeObject({ id: D, type: 'indicator', version: v(1), specVersion: '2.0' }),
        d2: makeObject({ id: D, type: 'indicator', version: v(2), specVersion: '2.1' }),
        e1: makeObject({ id: E, type: 'malware', version: v(1), specVersion: '2.1' }),
        e2: makeObject({ id: E, type: 'malware', version: v(2), specVersion: '2.0' }),
      };
      type Name = keyof typeof records;
      const order = Object.keys(records) as Name[];
      let dateOf: Record<Name, string>;

      beforeAll(async () => {
        const outcomes = await store.addObjects(c, order.map((n) => records[n]), alice);
        expect(outcomes.every((o) => o.kind === 'added')).toBe(true);
        dateOf = Object.fromEntries(order.map((n, i) => [n, dateAddedOf(outcomes[i])])) as Record<Name, string>;
      });

      const cases: Array<[string, () => Partial<ObjectQuery>, Name[]]> = [
        ['default: last version in the latest spec', () => ({}), ['b', 'c', 'a3', 'd2']],
        ['first, latest spec', () => ({ versions: FIRST }), ['b', 'c', 'a1', 'e1']],
        ['first and last, latest spec', () => ({ versions: { first: true, last: true, exact: [] } }), ['b', 'c', 'a3', 'a1', 'd2', 'e1']],
        ['all, latest spec', () => ({ versions: ALL_VERSIONS }), ['a2', 'b', 'c', 'a3', 'a1', 'd2', 'e1']],
        ['all, any spec', () => ({ versions: ALL_VERSIONS, specVersions: ANY_SPEC }), order],
        ['last, any spec', () => ({ specVersions: ANY_SPEC }), ['b', 'c', 'a3', 'd2', 'e2']],
        ['first, any spec', () => ({ versions: FIRST, specVersions: ANY_SPEC }), ['b', 'c', 'a1', 'd1', 'e1']],
        ['exact version, any spec', () => ({ versions: { first: false, last: false, exact: [v(2)] }, specVersions: ANY_SPEC }), ['a2', 'd2', 'e2']],
        ['exact version, latest spec', () => ({ versions: { first: false, last: false, exact: [v(2)] } }), ['a2', 'd2']],
        ['two exact versions', () => ({ versions: { first: false, last: false, exact: [v(1), v(3)] }, specVersions: ANY_SPEC }), ['a3', 'a1', 'd1', 'e1']],
        ['unversioned exact', () => ({ versions: { first: false, last: false, exact: [UNVERSIONED] } }), ['c']],
        ['an exact version nobody has', () => ({ versions: { first: false, last: false, exact: [v(9)] }, specVersions: ANY_SPEC }), []],
        ['last or exact', () => ({ versions: { first: false, last: true, exact: [v(1)] }, specVersions: ANY_SPEC }), ['b', 'c', 'a3', 'a1', 'd1', 'd2', 'e1', 'e2']],
        ['first or exact', () => ({ versions: { first: true, last: false, exact: [v(2)] } }), ['a2', 'b', 'c', 'a1', 'd2', 'e1']],
        ['spec 2.0, all versions', () => ({ versions: ALL_VERSIONS, specVersions: { specVersions: ['2.0'] } }), ['d1', 'e2']],
        ['spec 2.0, last', () => ({ specVersions: { specVersions: ['2.0'] } }), ['e2']],
        ['spec 2.0, first', () => ({ versions: FIRST, specVersions: { specVersions: ['2.0'] } }), ['d1']],
        ['spec 2.0 or 2.1, last', () => ({ specVersions: { specVersions: ['2.0', '2.1'] } }), ['b', 'c', 'a3', 'd2', 'e2']],
        ['spec 2.1, all versions', () => ({ versions: ALL_VERSIONS, specVersions: { specVersions: ['2.1'] } }), ['a2', 'b', 'c', 'a3', 'a1', 'd2', 'e1']],
        ['one id, all versions', () => ({ ids: [A], versions: ALL_VERSIONS }), ['a2', 'a3', 'a1']],
        ['two ids, default', () => ({ ids: [A, D] }), ['a3', 'd2']],
        ['an unknown id', () => ({ ids: [stixId('indicator')] }), []],
        ['one type', () => ({ types: ['malware'] }), ['b']],
        ['one type, last in any spec', () => ({ types: ['malware'], specVersions: ANY_SPEC }), ['b', 'e2']],
        ['two types', () => ({ types: ['indicator', 'ipv4-addr'] }), ['c', 'a3', 'd2']],
        ['two types, all versions, any spec', () => ({ types: ['indicator', 'malware'], versions: ALL_VERSIONS, specVersions: ANY_SPEC }), ['a2', 'b', 'a3', 'a1', 'd1', 'd2', 'e1', 'e2']],
        ['a repeated type', () => ({ types: ['malware', 'malware'], specVersions: ANY_SPEC }), ['b', 'e2']],
        ['a repeated id', () => ({ ids: [A, A], versions: ALL_VERSIONS }), ['a2', 'a3', 'a1']],
        ['a type nobody has', () => ({ types: ['campaign'] }), []],
        ['ids and types together', () => ({ ids: [A, B], types: ['malware'], versions: ALL_VERSIONS, specVersions: ANY_SPEC }), ['b']],
        ['added_after, default', () => ({ after: dateOf.c }), ['a3', 'd2']],
        ['added_after, all versions and specs', () => ({ after: dateOf.a3, versions: ALL_VERSIONS, specVersions: ANY_SPEC }), ['a1', 'd1', 'd2', 'e1', 'e2']],
        ['added_after applies to the selected versions', () => ({ after: dateOf.a3, ids: [A] }), []],
        ['added_after and type', () => ({ after: dateOf.a2, types: ['indicator'], versions: ALL_VERSIONS }), ['a3', 'a1', 'd2']],
        ['added_after the last record', () => ({ after: dateOf.e2, versions: ALL_VERSIONS, specVersions: ANY_SPEC }), []],
        ['added_after before everything', () => ({ after: '2000-01-01T00:00:00.000000Z' }), ['b', 'c', 'a3', 'd2']],
      ];

      it.each(cases)('%s', async (_title, overrides, expected) => {
        const q = query(c, overrides());
        const expectedKeys = expected.map((n) => key(records[n]));
        const objects = await all(q);
        expect(objects.map(key)).toEqual(expectedKeys);
        expect(objects.map((o) => o.dateAdded)).toEqual(expected.map((n) => dateOf[n]));
        expect(objects.map((o) => o.json)).toEqual(expected.map((n) => records[n].json));
        // The manifest view selects exactly the same records, without bodies; the text view only the bodies.
        const versions = await store.queryVersions(q, { limit: 100_000 });
        expect(versions.more).toBe(false);
        expect(versions.items).toEqual(objects.map(({ json: _json, ...rest }): StoredVersion => rest));
        const texts = await store.queryObjectTexts(q, { limit: 100_000 });
        expect(texts).toEqual({ items: objects.map((o) => ({ dateAdded: o.dateAdded, json: o.json })), more: false });
      });

      it('reports spec versions and media types per version', async () => {
        const d = await all(query(c, { ids: [D], versions: ALL_VERSIONS, specVersions: ANY_SPEC }));
        expect(d.map((o) => [o.specVersion, o.mediaType])).toEqual([
          ['2.0', records.d1.mediaType],
          ['2.1', records.d2.mediaType],
        ]);
      });

      it('sets more exactly when further records match', async () => {
        const q = everything(c);
        const exact = await store.queryObjects(q, { limit: order.length });
        expect(exact.items).toHaveLength(order.length);
        expect(exact.more).toBe(false);
        const short = await store.queryVersions(q, { limit: order.length - 1 });
        expect(short.items).toHaveLength(order.length - 1);
        expect(short.more).toBe(true);
        const filtered = await store.queryObjects(query(c, { types: ['malware'], specVersions: ANY_SPEC }), { limit: 1 });
        expect(filtered.items.map(key)).toEqual([key(records.b)]);
        expect(filtered.more).toBe(true);
        const empty = await store.queryObjects(query(c, { types: ['campaign'] }), { limit: 1 });
        expect(empty).toEqual({ items: [], more: false });
      });
    });

    describe('page byte budget', () => {
      it('ends an object page before its JSON passes maxBytes, always with at least one object', async () => {
        const c = newCollectionId();
        const objects = Array.from({ length: 5 }, (_, i) => makeObject({ extra: { padding: 'x'.repeat(i === 2 ? 5000 : 1000) } }));
        await add(c, objects);
        const size = (n: number): number => Buffer.byteLength(objects[n].json);
        const firstTwo = await store.queryObjects(query(c), { limit: 10, maxBytes: size(0) + size(1) });
        expect(firstTwo.items.map(key)).toEqual([key(objects[0]), key(objects[1])]);
        expect(firstTwo.more).toBe(true);
        const firstTwoTexts = await store.queryObjectTexts(query(c), { limit: 10, maxBytes: size(0) + size(1) });
        expect(firstTwoTexts).toEqual({ items: firstTwo.items.map((o) => ({ dateAdded: o.dateAdded, json: o.json })), more: true });
        expect((await store.queryObjectTexts(query(c), { limit: 2 })).items.map((o) => o.json)).toEqual([objects[0].json, objects[1].json]);
        const big = await store.queryObjects(query(c, { after: firstTwo.items[1].dateAdded }), { limit: 10, maxBytes: 10 });
        expect(big.items.map(key)).toEqual([key(objects[2])]);
        expect(big.more).toBe(true);
        const rest = await store.queryObjects(query(c, { after: big.items[0].dateAdded }), { limit: 10, maxBytes: 1_000_000 });
        expect(rest.items.map(key)).toEqual([key(objects[3]), key(objects[4])]);
        expect(rest.more).toBe(false);
        // The manifest is not limited by bytes.
        expect((await store.queryVersions(query(c), { limit: 10, maxBytes: 10 })).items).toHaveLength(5);
      });
    });

    describe('statistics', () => {
      it('counts objects and versions per type, first and last date_added, and adds per day', async () => {
        const c = newCollectionId();
        const id = stixId('indicator');
        const dates = await add(c, [
          makeObject({ id, version: v(1) }),
          makeObject({ id, version: v(2) }),
          makeObject({ type: 'malware' }),
          makeObject({ type: 'indicator' }),
        ]);
        const stats = await store.collectionStats(c);
        expect(stats).toEqual({
          objects: 3,
          versions: 4,
          firstDateAdded: dates[0],
          lastDateAdded: dates[3],
          byType: [
            { type: 'indicator', objects: 2, versions: 3 },
            { type: 'malware', objects: 1, versions: 1 },
          ],
        });
        const days = await store.addedPerDay(c, '2000-01-01T00:00:00.000000Z');
        expect(days.reduce((sum, d) => sum + d.versions, 0)).toBe(4);
        for (const d of days) expect(d.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(days.map((d) => d.day)).toEqual([...new Set(dates.map((d) => d.slice(0, 10)))]);
        expect(await store.addedPerDay(c, dates[3])).toEqual([]);
        expect(await store.collectionStats(newCollectionId())).toEqual({ objects: 0, versions: 0, byType: [] });
        const bytes = await store.storageBytes();
        if (bytes !== undefined) expect(bytes).toBeGreaterThan(0);
      });
    });

    describe('versioning', () => {
      it('tracks first and last over all versions, whatever order they arrive in', async () => {
        const c = newCollectionId();
        const id = stixId('indicator');
        const version = (day: number): IncomingObject => makeObject({ id, version: v(day) });
        await add(c, [version(2)]);
        await add(c, [version(3)]);
        await add(c, [version(1)]);
        expect(await keys(query(c))).toEqual([key(version(3))]);
        expect(await keys(query(c, { versions: FIRST }))).toEqual([key(version(1))]);
        // A back-filled older version becomes first, never last.
        const backFilled = makeObject({ id, version: '2023-12-31T00:00:00.000000Z' });
        await add(c, [backFilled]);
        expect(await keys(query(c))).toEqual([key(version(3))]);
        expect(await keys(query(c, { versions: FIRST }))).toEqual([key(backFilled)]);
        // Versions are returned in date_added order, not version order.
        expect((await all(everything(c))).map((o) => o.version)).toEqual([v(2), v(3), v(1), backFilled.version]);
      });

      it('makes the previous version last when the last one is deleted', async () => {
        const c = newCollectionId();
        const id = stixId('indicator');
        const version = (day: number): IncomingObject => makeObject({ id, version: v(day) });
        await add(c, [version(3), version(1), version(2)]);
        expect(await store.deleteObject(c, id, { first: false, last: false, exact: [v(3)] }, ANY_SPEC, alice)).toEqual(deleted(1));
        expect(await keys(query(c))).toEqual([key(version(2))]);
        expect(await store.deleteObject(c, id, LAST, ANY_SPEC, alice)).toEqual(deleted(1));
        expect(await keys(query(c))).toEqual([key(version(1))]);
        expect(await keys(query(c, { versions: FIRST }))).toEqual([key(version(1))]);
        // Re-adding the deleted newest version makes it last again.
        await add(c, [version(3)]);
        expect(await keys(query(c))).toEqual([key(version(3))]);
      });

      it('makes the next version first when the first one is deleted', async () => {
        const c = newCollectionId();
        const id = stixId('indicator');
        const version = (day: number): IncomingObject => makeObject({ id, version: v(day) });
        await add(c, [version(1), version(2), version(3)]);
        expect(await store.deleteObject(c, id, FIRST, ANY_SPEC, alice)).toEqual(deleted(1));
        expect(await keys(query(c, { versions: FIRST }))).toEqual([key(version(2))]);
      });

      it('treats an SCO with the fixed unversioned version like any version', async () => {
        const c = newCollectionId();
        const sco = makeObject({ type: 'ipv4-addr', version: UNVERSIONED, extra: { value: '203.0.113.9' } });
        const [date] = await add(c, [sco]);
        expect(await store.addObjects(c, [sco], alice)).toEqual([{ kind: 'duplicate', dateAdded: date }]);
        const changed = makeObject({ id: sco.id, type: 'ipv4-addr', version: UNVERSIONED, extra: { value: '203.0.113.10' } });
        expect(await store.addObjects(c, [changed], alice)).toEqual([{ kind: 'conflict' }]);
        expect(await keys(query(c))).toEqual([key(sco)]);
        expect(await keys(query(c, { versions: FIRST }))).toEqual([key(sco)]);
      });

      it('serves the latest spec version by default and older specs on request', async () => {
        const c = newCollectionId();
        const id = stixId('indicator');
        const old = makeObject({ id, version: v(1), specVersion: '2.0' });
        const current = makeObject({ id, version: v(2), specVersion: '2.1' });
        await add(c, [current, old]);
        expect(await keys(query(c, { versions: ALL_VERSIONS }))).toEqual([key(current)]);
        expect(await keys(query(c, { versions: ALL_VERSIONS, specVersions: { specVersions: ['2.0'] } }))).toEqual([key(old)]);
        expect(await keys(query(c, { versions: ALL_VERSIONS, specVersions: ANY_SPEC }))).toEqual([key(current), key(old)]);
        // Deleting the 2.1 version leaves 2.0 as the latest spec the store can provide.
        expect(await store.deleteObject(c, id, ALL_VERSIONS, { specVersions: ['2.1'] }, alice)).toEqual(deleted(1));
        expect(await keys(query(c))).toEqual([key(old)]);
      });
    });

    describe('pagination', () => {
      const walks = [1, 2, 7, 1000];

      /**
       * Walks every page of `q`, adding objects after each of the first pages, until a page says
       * there is no more and nothing was added since it was read (a client that polls again).
       */
      async function walk(
        q: ObjectQuery,
        limit: number,
        addWhileWalking: (pageNumber: number) => Promise<boolean>,
      ): Promise<StoredObject[]> {
        const seen: StoredObject[] = [];
        let position: string | undefined;
        for (let pageNumber = 0; ; pageNumber++) {
          const page = await store.queryObjects({ ...q, after: position }, { limit });
          expect(page.items.length).toBeLessThanOrEqual(limit);
          if (page.more) expect(page.items.length).toBeGreaterThan(0);
          seen.push(...page.items);
          if (page.items.length > 0) position = page.items[page.items.length - 1].dateAdded;
          const added = await addWhileWalking(pageNumber);
          if (!page.more && !added) return seen;
          if (pageNumber > 10_000) throw new Error('pagination does not terminate');
        }
      }

      it.each(walks)('walks every object exactly once at limit %i while objects are added', async (limit) => {
        const c = newCollectionId();
        const initial = limit === 1000 ? 2100 : 23;
        await add(c, Array.from({ length: initial }, (_, i) => makeObject({ type: i % 3 === 0 ? 'malware' : 'indicator' })));
        const q = query(c);
        const seen = await walk(q, limit, async (pageNumber) => {
          if (pageNumber >= 4) return false;
          await add(c, [makeObject(), makeObject({ type: 'malware' })]);
          return true;
        });
        const final = await all(q);
        expect(final).toHaveLength(initial + 8);
        expect(seen.map(key)).toEqual(final.map(key));
        expect(new Set(seen.map(key)).size).toBe(seen.length);
        expectStrictlyAscending(seen.map((o) => o.dateAdded));
      });

      it.each([1, 2, 7] as const)('walks all versions at limit %i while new versions of seen and unseen objects arrive', async (limit) => {
        const c = newCollectionId();
        const ids = Array.from({ length: 6 }, () => stixId('indicator'));
        await add(c, ids.map((id) => makeObject({ id, version: v(1) })));
        const q = everything(c, { types: ['indicator', 'malware'] });
        const seen = await walk(q, limit, async (pageNumber) => {
          if (pageNumber >= 3) return false;
          await add(c, [makeObject({ id: ids[pageNumber * 2], version: v(2 + pageNumber) })]);
          return true;
        });
        const final = await all(q);
        expect(final).toHaveLength(9);
        expect(seen.map(key)).toEqual(final.map(key));
      });

      it('keeps paging correctly after records before and after the cursor are deleted', async () => {
        const c = newCollectionId();
        const objects = Array.from({ length: 6 }, () => makeObject());
        await add(c, objects);
        const first = await store.queryObjects(query(c), { limit: 2 });
        expect(first.more).toBe(true);
        await store.deleteObject(c, objects[0].id, ALL_VERSIONS, ANY_SPEC, alice);
        await store.deleteObject(c, objects[1].id, ALL_VERSIONS, ANY_SPEC, alice);
        await store.deleteObject(c, objects[3].id, ALL_VERSIONS, ANY_SPEC, alice);
        const rest = await store.queryObjects(query(c, { after: first.items[1].dateAdded }), { limit: 10 });
        expect(rest.items.map(key)).toEqual([objects[2], objects[4], objects[5]].map(key));
        expect(rest.more).toBe(false);
      });
    });

    describe('deleting', () => {
      it('deletes every version, forgets the owner, and lets anyone push the id again', async () => {
        const c = newCollectionId();
        const id = stixId('indicator');
        await add(c, [makeObject({ id, version: v(1) }), makeObject({ id, version: v(2), specVersion: '2.1' })], alice);
        const keep = makeObject();
        await add(c, [keep], alice);
        expect(await store.deleteObject(c, id, ALL_VERSIONS, ANY_SPEC, alice)).toEqual(deleted(2));
        expect(await store.hasObject(c, id)).toBe(false);
        expect(await store.getOwner(c, id)).toBeUndefined();
        expect(await keys(everything(c))).toEqual([key(keep)]);
        expect(await store.deleteObject(c, id, ALL_VERSIONS, ANY_SPEC, alice)).toEqual(NOT_FOUND);
        await add(c, [makeObject({ id, version: v(3) })], bob);
        expect(await store.getOwner(c, id)).toBe('bob');
      });

      it('deletes only the selected versions and keeps the owner while versions remain', async () => {
        const c = newCollectionId();
        const id = stixId('indicator');
        const versions = [1, 2, 3, 4].map((day) => makeObject({ id, version: v(day), specVersion: day === 2 ? '2.0' : '2.1' }));
        await add(c, versions, alice);
        expect(await store.deleteObject(c, id, { first: false, last: false, exact: [v(9)] }, ANY_SPEC, alice)).toEqual(NOT_FOUND);
        expect(await store.deleteObject(c, id, ALL_VERSIONS, { specVersions: ['2.0'] }, alice)).toEqual(deleted(1));
        expect(await store.deleteObject(c, id, { first: true, last: false, exact: [v(3)] }, LATEST_SPEC, alice)).toEqual(deleted(2));
        expect(await keys(everything(c))).toEqual([key(versions[3])]);
        expect(await store.getOwner(c, id)).toBe('alice');
        expect(await keys(query(c, { versions: FIRST }))).toEqual([key(versions[3])]);
      });

      it('refuses a non-owner, lets the owner and a maintainer delete, and tells refused from missing', async () => {
        const c = newCollectionId();
        const id = stixId('indicator');
        await add(c, [makeObject({ id, version: v(1) }), makeObject({ id, version: v(2) })], alice);
        expect(await store.deleteObject(c, id, ALL_VERSIONS, ANY_SPEC, bob)).toEqual(NOT_OWNER);
        expect(await store.deleteObject(c, id, { first: false, last: false, exact: [v(9)] }, ANY_SPEC, bob)).toEqual(NOT_FOUND);
        expect(await store.deleteObject(c, stixId('indicator'), ALL_VERSIONS, ANY_SPEC, bob)).toEqual(NOT_FOUND);
        expect(await store.deleteObject(c, id, ALL_VERSIONS, ANY_SPEC, anonymous)).toEqual(NOT_OWNER);
        expect(await keys(everything(c))).toHaveLength(2);
        expect(await store.deleteObject(c, id, FIRST, ANY_SPEC, maintainer)).toEqual(deleted(1));
        expect(await store.deleteObject(c, id, ALL_VERSIONS, ANY_SPEC, alice)).toEqual(deleted(1));
      });

      it('lets any writer delete an object nobody owns', async () => {
        const c = newCollectionId();
        const object = makeObject();
        await add(c, [object], anonymous);
        expect(await store.deleteObject(c, object.id, ALL_VERSIONS, ANY_SPEC, bob)).toEqual(deleted(1));
      });

      it("never removes the owner's versions when a non-owner's deletes race the owner's pushes", async () => {
        const c = newCollectionId();
        const id = stixId('indicator');
        const pushes = Array.from({ length: 12 }, (_, i) => makeObject({ id, version: v(1, i) }));
        // The owner pushes one version at a time while bob keeps deleting every version; on a store
        // with real concurrency the calls interleave.
        const results = await Promise.all([
          (async () => {
            for (const object of pushes) expect((await store.addObjects(c, [object], alice))[0].kind).toBe('added');
          })(),
          (async () => {
            const outcomes: DeleteOutcome[] = [];
            for (let i = 0; i < 12; i++) outcomes.push(await store.deleteObject(c, id, ALL_VERSIONS, ANY_SPEC, bob));
            return outcomes;
          })(),
        ]);
        for (const outcome of results[1]) expect(outcome.kind).not.toBe('deleted');
        expect((await all(everything(c))).map(key).sort()).toEqual(pushes.map(key).sort());
        expect(await store.getOwner(c, id)).toBe('alice');
      });

      it('leaves other collections alone', async () => {
        const c1 = newCollectionId();
        const c2 = newCollectionId();
        const object = makeObject();
        await add(c1, [object]);
        await add(c2, [object]);
        expect(await store.deleteObject(c1, object.id, ALL_VERSIONS, ANY_SPEC, alice)).toEqual(deleted(1));
        expect(await keys(everything(c2))).toEqual([key(object)]);
        expect(await store.getOwner(c2, object.id)).toBe('alice');
      });
    });

    describe('statuses', () => {
      const status = makeStatus;

      it('saves and reads a status back unchanged', async () => {
        const record = status({ expiresAt: '2999-01-01T00:00:00.000000Z' });
        await store.saveStatus(record);
        expect(await store.getStatus(record.id)).toEqual(record);
        const anonymousPush = status({ owner: undefined, successes: [], failures: [], pendings: [], expiresAt: '2999-01-01T00:00:00.000000Z' });
        await store.saveStatus(anonymousPush);
        const read = await store.getStatus(anonymousPush.id);
        expect(read).toEqual(anonymousPush);
        expect(read?.owner).toBeUndefined();
      });

      it('answers undefined for an unknown status and one that expired', async () => {
        const expired = status({ expiresAt: '2001-01-01T00:00:00.000000Z' });
        await store.saveStatus(expired);
        expect(await store.getStatus(randomUUID())).toBeUndefined();
        expect(await store.getStatus(expired.id)).toBeUndefined();
      });

      withClock('expires a status exactly at expiresAt, by the store clock', async (clock) => {
        const record = status({ expiresAt: '2025-01-01T00:00:00.000000Z' });
        await store.saveStatus(record);
        clock.set(timestampToMicros('2024-12-31T23:59:59.999999Z'));
        expect(await store.getStatus(record.id)).toEqual(record);
        clock.set(timestampToMicros('2025-01-01T00:00:00.000000Z'));
        expect(await store.getStatus(record.id)).toBeUndefined();
      });

      withClock('purges expired statuses and keeps the others', async (clock) => {
        const expired1 = status({ expiresAt: '2000-01-01T00:00:00.000000Z' });
        const expired2 = status({ expiresAt: '2000-01-02T00:00:00.000000Z' });
        const alive = status({ expiresAt: '2000-01-03T00:00:00.000000Z' });
        for (const record of [expired1, expired2, alive]) await store.saveStatus(record);
        clock.set(timestampToMicros('2000-01-02T00:00:00.000000Z'));
        expect(await store.purgeExpiredStatuses()).toBeGreaterThanOrEqual(2);
        expect(await store.purgeExpiredStatuses()).toBe(0);
        // Read "as of" a time before expiry: only a real deletion makes these undefined.
        clock.set(timestampToMicros('1999-01-01T00:00:00.000000Z'));
        expect(await store.getStatus(expired1.id)).toBeUndefined();
        expect(await store.getStatus(expired2.id)).toBeUndefined();
        expect(await store.getStatus(alive.id)).toEqual(alive);
      });

      it("lists a user's live statuses newest first, with keyset paging", async () => {
        const owner = `user-${randomUUID()}`;
        const at = (day: number): string => `2024-02-${String(day).padStart(2, '0')}T00:00:00.000000Z`;
        const mine = [3, 1, 4, 2].map((day) => status({ owner, requestTimestamp: at(day), expiresAt: '2999-01-01T00:00:00.000000Z' }));
        const expired = status({ owner, requestTimestamp: at(5), expiresAt: '2001-01-01T00:00:00.000000Z' });
        const others = status({ owner: `other-${randomUUID()}`, requestTimestamp: at(6), expiresAt: '2999-01-01T00:00:00.000000Z' });
        for (const record of [...mine, expired, others]) await store.saveStatus(record);
        const firstPage = await store.listStatuses(owner, { limit: 3 });
        expect(firstPage.map((r) => r.requestTimestamp)).toEqual([at(4), at(3), at(2)]);
        expect(firstPage[0]).toEqual(mine[2]);
        const last = firstPage[2];
        const rest = await store.listStatuses(owner, { limit: 3, before: { requestTimestamp: last.requestTimestamp, id: last.id } });
        expect(rest.map((r) => r.requestTimestamp)).toEqual([at(1)]);
        expect(await store.listStatuses(`nobody-${randomUUID()}`, { limit: 3 })).toEqual([]);
      });

      it('exports statuses ordered by id, after a given id', async () => {
        const prefix = randomUUID();
        const records = [3, 0, 4, 1, 2].map((n) => status({ id: `${prefix}-${n}` }));
        for (const record of records) await store.saveStatus(record);
        const firstPage = await store.exportStatuses(prefix, 3);
        expect(firstPage.map((s) => s.id)).toEqual([0, 1, 2].map((n) => `${prefix}-${n}`));
        expect(firstPage[0]).toEqual(records[1]);
        const secondPage = await store.exportStatuses(`${prefix}-2`, 2);
        expect(secondPage.map((s) => s.id)).toEqual([3, 4].map((n) => `${prefix}-${n}`));
        const fromStart = await store.exportStatuses(undefined, 1_000_000);
        const ids = fromStart.map((s) => s.id);
        expect([...ids].sort()).toEqual(ids);
        expect(ids).toEqual(expect.arrayContaining(records.map((r) => r.id)));
      });
    });

    describe('export and import', () => {
      async function exportAll(collectionId: string, limit: number) {
        const exported: ExportedObject[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await store.exportObjects(collectionId, { limit, after });
          expect(page.items.length).toBeLessThanOrEqual(limit);
          exported.push(...page.items);
          if (!page.more) return exported;
          after = page.items[page.items.length - 1].dateAdded;
        }
      }

      it('exports every version in every spec with digest and owner, and imports them exactly', async () => {
        const source = newCollectionId();
        const target = newCollectionId();
        const id = stixId('indicator');
        const objects = [
          makeObject({ id, version: v(2) }),
          makeObject({ id, version: v(1), specVersion: '2.0' }),
          makeObject({ id, version: v(3) }),
        ];
        await add(source, objects, alice);
        const bobs = makeObject({ type: 'malware' });
        await add(source, [bobs], bob);
        const anonymousOne = makeObject({ type: 'ipv4-addr', version: UNVERSIONED });
        await add(source, [anonymousOne], anonymous);

        const exported = await exportAll(source, 2);
        expect(exported.map(key)).toEqual([...objects, bobs, anonymousOne].map(key));
        expectStrictlyAscending(exported.map((e) => e.dateAdded));
        expect(exported.map((e) => e.digest)).toEqual([...objects, bobs, anonymousOne].map((o) => o.digest));
        expect(exported.map((e) => e.owner)).toEqual(['alice', 'alice', 'alice', 'bob', undefined]);
        expect(exported.map((e) => e.json)).toEqual([...objects, bobs, anonymousOne].map((o) => o.json));

        // An interrupted copy: the first part, then everything again.
        await store.importObjects(target, exported.slice(0, 2));
        await store.importObjects(target, exported);
        await store.importObjects(target, exported);

        expect(await all(everything(target))).toEqual(await all(everything(source)));
        for (const overrides of [{}, { versions: FIRST }, { versions: ALL_VERSIONS }]) {
          expect(await all(query(target, overrides))).toEqual(await all(query(source, overrides)));
        }
        expect(await store.getOwner(target, id)).toBe('alice');
        expect(await store.getOwner(target, bobs.id)).toBe('bob');
        expect(await store.getOwner(target, anonymousOne.id)).toBeUndefined();
        expect(await exportAll(target, 100)).toEqual(exported);

        // Imported data behaves like pushed data.
        expect(await store.addObjects(target, [objects[0]], alice)).toEqual([{ kind: 'duplicate', dateAdded: exported[0].dateAdded }]);
        expect(await store.addObjects(target, [makeObject({ id, version: v(4) })], bob)).toEqual([{ kind: 'not-owner', owner: 'alice' }]);
        const [later] = await add(target, [makeObject()]);
        expect(later > exported[exported.length - 1].dateAdded).toBe(true);
      });

      withClock('hands out date_added after the imported ones even when the clock is behind', async (clock) => {
        const target = newCollectionId();
        const imported = { ...makeObject(), dateAdded: microsToTimestamp(clock.now + 3_600_000_000n), owner: 'alice' };
        await store.importObjects(target, [imported]);
        const [next] = await add(target, [makeObject()]);
        expect(timestampToMicros(next)).toBe(clock.now + 3_600_000_001n);
        clock.set(clock.now + 3_600_000_010n);
      });

      it('lists the collections that hold objects', async () => {
        const c1 = newCollectionId();
        const c2 = newCollectionId();
        await add(c1, [makeObject()]);
        await add(c2, [makeObject()]);
        const ids = await store.listCollectionIds();
        expect(ids).toEqual(expect.arrayContaining([c1, c2]));
        expect(ids).not.toContain(newCollectionId());
        expect(new Set(ids).size).toBe(ids.length);
      });
    });
  });
}
