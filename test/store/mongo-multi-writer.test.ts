/**
 * Several Taxiway processes on one MongoDB database (store instances here): date_added stays
 * unique and increasing, and a reader never gets a date_added before one that becomes visible
 * later, even when one writer's commit is held back. Pages made through one instance continue on
 * the other (the cursor is just a date_added). Writers acting on stale views of the same objects
 * still leave their first/last flags right.
 */
import { createMongoStore } from '../../src/store/mongo';
import type { MongoStoreOptions } from '../../src/store/mongo';
import type { AddOutcome, Store, StoredVersion } from '../../src/store/store';
import { describeWithMongo, mongoTestStoreOptions, useTestDatabases } from '../support/mongo';
import { ALL_VERSIONS, ANY_SPEC, FIRST, LAST, TestClock, alice, bob, everything, makeObject, newCollectionId, query, stixId, v } from './fixtures';

function dateAddedOf(outcome: AddOutcome): string {
  if (outcome.kind !== 'added') throw new Error(`expected added, got ${outcome.kind}`);
  return outcome.dateAdded;
}

/** A gate a writer waits at until the test opens it. */
function gate(): { wait: Promise<void>; open(): void; reached: Promise<void> } {
  let open = (): void => undefined;
  let arrive = (): void => undefined;
  const wait = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  return {
    wait: (async () => {
      arrive();
      await wait;
    })(),
    open,
    reached,
  };
}

describeWithMongo('MongoDB store: several instances on one database', (uri) => {
  const databases = useTestDatabases(uri, 'multiwriter');
  const stores: Store[] = [];

  async function openStore(database: string, extra: Partial<MongoStoreOptions> = {}): Promise<Store> {
    const store = createMongoStore(mongoTestStoreOptions(uri, database, extra));
    await store.open();
    stores.push(store);
    return store;
  }
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('hides a later date_added until an earlier, delayed commit is visible', async () => {
    const database = databases.next();
    const c = newCollectionId();
    const slow = makeObject();
    let held: ReturnType<typeof gate> | undefined;
    const writerA = await openStore(database, {
      testHooks: { beforeInsert: async (_c, objectId) => (objectId === slow.id ? (held = gate()).wait : undefined) },
    });
    const writerB = await openStore(database);

    const slowWrite = writerA.addObjects(c, [slow], alice);
    await waitFor(() => held !== undefined);
    await held?.reached;
    let fastOutcome: AddOutcome;
    try {
      [fastOutcome] = await writerB.addObjects(c, [makeObject()], alice);
      // A has reserved an earlier date_added and not committed: neither instance serves B's yet.
      for (const reader of [writerA, writerB]) {
        expect((await reader.queryVersions(everything(c), { limit: 10 })).items).toEqual([]);
      }
    } finally {
      held?.open(); // also when an expectation failed, so the held write cannot hang the run
    }
    const [slowOutcome] = await slowWrite;
    expect(dateAddedOf(slowOutcome) < dateAddedOf(fastOutcome)).toBe(true);
    for (const reader of [writerA, writerB]) {
      const page = await reader.queryVersions(everything(c), { limit: 10 });
      expect(page.items.map((item) => item.dateAdded)).toEqual([dateAddedOf(slowOutcome), dateAddedOf(fastOutcome)]);
    }
  });

  it('lets a reader polling both instances collect every version once, in order, while both write', async () => {
    const database = databases.next();
    const c = newCollectionId();
    // Writer A sleeps before some of its inserts, so B often commits later date_added values first.
    const writerA = await openStore(database, {
      testHooks: { beforeInsert: () => new Promise((resolve) => setTimeout(resolve, Math.random() < 0.3 ? 40 : 0)) },
    });
    const writerB = await openStore(database);
    const readers = [writerA, writerB];

    const batches = 12;
    const writes = Promise.all(
      [writerA, writerB].map(async (writer) => {
        const dates: string[] = [];
        for (let i = 0; i < batches; i++) {
          const outcomes = await writer.addObjects(c, [makeObject(), makeObject()], alice);
          dates.push(...outcomes.map(dateAddedOf));
        }
        return dates;
      }),
    );
    let writing = true;
    void writes.finally(() => (writing = false));

    // The client's side of TAXII: poll with added_after = the last date_added it got.
    const seen: StoredVersion[] = [];
    let after: string | undefined;
    for (let poll = 0; ; poll++) {
      // Only a poll that starts after all writes returned may end the walk.
      const writesDone = !writing;
      const page = await readers[poll % 2].queryVersions(everything(c, { after }), { limit: 3 });
      seen.push(...page.items);
      if (page.items.length > 0) after = page.items[page.items.length - 1].dateAdded;
      if (writesDone && !page.more && page.items.length === 0) break;
    }
    const written = (await writes).flat().sort();
    expect(new Set(written).size).toBe(batches * 4);
    expect(seen.map((item) => item.dateAdded)).toEqual(written);
  });

  it('pages made on one instance continue on the other without gaps or repeats', async () => {
    const database = databases.next();
    const c = newCollectionId();
    const [first, second] = [await openStore(database), await openStore(database)];
    await first.addObjects(c, Array.from({ length: 7 }, () => makeObject()), alice);
    await second.addObjects(c, Array.from({ length: 6 }, () => makeObject()), alice);
    const collected: string[] = [];
    let after: string | undefined;
    for (let i = 0; ; i++) {
      const page = await [first, second][i % 2].queryVersions(everything(c, { after }), { limit: 4 });
      collected.push(...page.items.map((item) => item.dateAdded));
      after = page.items.at(-1)?.dateAdded;
      if (!page.more) break;
    }
    expect(collected).toHaveLength(13);
    expect(collected).toEqual([...collected].sort());
    expect(new Set(collected).size).toBe(13);
  });

  it('keeps date_added unique and per-call increasing when two instances race with one frozen clock', async () => {
    const database = databases.next();
    const c = newCollectionId();
    const clock = new TestClock();
    const [a, b] = [await openStore(database, { clock: clock.read }), await openStore(database, { clock: clock.read })];
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => [a, b][i % 2].addObjects(c, Array.from({ length: 5 }, () => makeObject()), alice)),
    );
    const perCall = results.map((outcomes) => outcomes.map(dateAddedOf));
    for (const dates of perCall) expect(dates).toEqual([...dates].sort());
    const all = perCall.flat();
    expect(new Set(all).size).toBe(80);
    const stored = await a.queryVersions(everything(c), { limit: 100 });
    expect(stored.items.map((item) => item.dateAdded)).toEqual([...all].sort());
  });

  it('stops waiting for a writer that died after its lease, and never lets it write behind readers', async () => {
    const database = databases.next();
    const c = newCollectionId();
    const stuck = makeObject();
    let held: ReturnType<typeof gate> | undefined;
    const leaseMs = 600;
    const writerA = await openStore(database, {
      writeLeaseMs: leaseMs,
      testHooks: { beforeInsert: async (_c, objectId) => (objectId === stuck.id ? (held = gate()).wait : undefined) },
    });
    const writerB = await openStore(database, { writeLeaseMs: leaseMs });

    const stuckWrite = writerA.addObjects(c, [stuck], alice);
    await waitFor(() => held !== undefined);
    let fast: AddOutcome;
    try {
      [fast] = await writerB.addObjects(c, [makeObject()], alice);
      expect((await writerB.queryVersions(everything(c), { limit: 10 })).items).toEqual([]);

      await new Promise((resolve) => setTimeout(resolve, leaseMs + 100));
      const afterExpiry = await writerB.queryVersions(everything(c), { limit: 10 });
      expect(afterExpiry.items.map((item) => item.dateAdded)).toEqual([dateAddedOf(fast)]);
    } finally {
      // The stuck writer wakes up: its old range is behind what readers saw, so it takes a new one.
      held?.open();
    }
    const [late] = await stuckWrite;
    expect(dateAddedOf(late) > dateAddedOf(fast)).toBe(true);
    const rest = await writerB.queryVersions(everything(c, { after: dateAddedOf(fast) }), { limit: 10 });
    expect(rest.items.map((item) => item.id)).toEqual([stuck.id]);
  });

  it('keeps first, last and latest-spec flags right when instances add and delete versions of the same objects at once', async () => {
    const database = databases.next();
    const c = newCollectionId();
    // Random pauses between a writer's reads and its insert, so that writers act on stale views.
    const pause = { testHooks: { beforeInsert: () => new Promise<void>((resolve) => setTimeout(resolve, Math.random() < 0.5 ? 15 : 0)) } };
    const instances = [await openStore(database, pause), await openStore(database, pause), await openStore(database, pause)];
    const ids = Array.from({ length: 4 }, () => stixId('indicator'));
    let seed = 11;
    const random = (n: number): number => (seed = (seed * 48271) % 2147483647) % n;
    const version = (day: number, second: number): string => v(day, second);
    await Promise.all(
      instances.map(async (store, writer) => {
        for (let round = 0; round < 10; round++) {
          // A few versions of every object per call, some in spec 2.0: mostly newer than what the
          // other writers stored (racing for "last"), sometimes older (racing for "first").
          const day = random(4) === 0 ? 1 : 2 + round;
          const batch = ids.flatMap((id) =>
            Array.from({ length: 1 + random(3) }, () => makeObject({ id, version: version(day, writer * 10 + random(10)), specVersion: random(4) === 0 ? '2.0' : '2.1' })),
          );
          await store.addObjects(c, batch, alice);
          if (round % 3 === 2) await store.deleteObject(c, ids[random(ids.length)], LAST, ANY_SPEC, alice);
        }
      }),
    );
    for (const id of ids) {
      const stored = (await instances[0].queryVersions(everything(c, { ids: [id] }), { limit: 1000 })).items;
      if (stored.length === 0) continue;
      const versions = stored.map((item) => item.version).sort();
      const rank = (item: StoredVersion): number => Number(item.specVersion.split('.')[1]);
      const latestRank = Math.max(...stored.map(rank));
      const first = (await instances[1].queryVersions(query(c, { ids: [id], versions: FIRST, specVersions: ANY_SPEC }), { limit: 10 })).items;
      const last = (await instances[2].queryVersions(query(c, { ids: [id], specVersions: ANY_SPEC }), { limit: 10 })).items;
      const latestSpec = (await instances[0].queryVersions(query(c, { ids: [id], versions: { all: true } }), { limit: 1000 })).items;
      expect(first.map((item) => item.version)).toEqual([versions[0]]);
      expect(last.map((item) => item.version)).toEqual([versions[versions.length - 1]]);
      expect(latestSpec.map((item) => item.version).sort()).toEqual(stored.filter((item) => rank(item) === latestRank).map((item) => item.version).sort());
    }
  });

  describe('a push that decided on an owner while the object was deleted and perhaps pushed again', () => {
    /** Alice's second version is held after her push has read the object, while `meanwhile` runs on another instance. */
    async function raced(meanwhile: (other: Store, c: string, id: string) => Promise<void>): Promise<{ outcome: AddOutcome[]; other: Store; c: string; id: string }> {
      const database = databases.next();
      const c = newCollectionId();
      const id = stixId('indicator');
      let held: ReturnType<typeof gate> | undefined;
      const writer = await openStore(database, { testHooks: { beforeInsert: async () => (held = gate()).wait } });
      const other = await openStore(database);
      await other.addObjects(c, [makeObject({ id, version: v(1) })], alice);
      const push = writer.addObjects(c, [makeObject({ id, version: v(2) })], alice);
      await waitFor(() => held !== undefined);
      await held?.reached;
      try {
        await meanwhile(other, c, id);
      } finally {
        held?.open();
      }
      return { outcome: await push, other, c, id };
    }

    it('claims the object again when nobody pushed it since', async () => {
      const { outcome, other, c, id } = await raced(async (store, c, id) => {
        expect(await store.deleteObject(c, id, ALL_VERSIONS, ANY_SPEC, alice)).toEqual({ kind: 'deleted', count: 1 });
        expect(await store.getOwner(c, id)).toBeUndefined();
      });
      expect(outcome.map((o) => o.kind)).toEqual(['added']);
      expect(await other.getOwner(c, id)).toBe('alice');
      expect(await other.deleteObject(c, id, ALL_VERSIONS, ANY_SPEC, bob)).toEqual({ kind: 'not-owner' });
    });

    it('takes its versions back when someone else pushed the object since', async () => {
      const { outcome, other, c, id } = await raced(async (store, c, id) => {
        await store.deleteObject(c, id, ALL_VERSIONS, ANY_SPEC, alice);
        expect((await store.addObjects(c, [makeObject({ id, version: v(3) })], bob))[0].kind).toBe('added');
      });
      expect(outcome).toEqual([{ kind: 'not-owner', owner: 'bob' }]);
      expect(await other.getOwner(c, id)).toBe('bob');
      expect((await other.queryVersions(everything(c), { limit: 10 })).items.map((item) => item.version)).toEqual([v(3)]);
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
