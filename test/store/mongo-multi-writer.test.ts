/**
 * Several Taxiway processes on one MongoDB database (two store instances here): date_added stays
 * unique and increasing, and a reader never gets a date_added before one that becomes visible
 * later, even when one writer's commit is held back. Pages made through one instance continue on
 * the other (the cursor is just a date_added).
 */
import { createMongoStore } from '../../src/store/mongo';
import type { MongoStoreOptions } from '../../src/store/mongo';
import type { AddOutcome, Store, StoredVersion } from '../../src/store/store';
import { describeWithMongo, mongoTestStoreOptions, useTestDatabases } from '../support/mongo';
import { TestClock, alice, everything, makeObject, newCollectionId } from './fixtures';

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
    let addedAfter: string | undefined;
    for (let poll = 0; ; poll++) {
      // Only a poll that starts after all writes returned may end the walk.
      const writesDone = !writing;
      const page = await readers[poll % 2].queryVersions(everything(c, { addedAfter }), { limit: 3 });
      seen.push(...page.items);
      if (page.items.length > 0) addedAfter = page.items[page.items.length - 1].dateAdded;
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
    let afterDateAdded: string | undefined;
    for (let i = 0; ; i++) {
      const page = await [first, second][i % 2].queryVersions(everything(c), { limit: 4, afterDateAdded });
      collected.push(...page.items.map((item) => item.dateAdded));
      afterDateAdded = page.items.at(-1)?.dateAdded;
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
    const rest = await writerB.queryVersions(everything(c, { addedAfter: dateAddedOf(fast) }), { limit: 10 });
    expect(rest.items.map((item) => item.id)).toEqual([stuck.id]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
