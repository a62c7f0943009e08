import { buildConfig } from '../config/load';
import { createSqliteStore } from '../store/sqlite';
import { timestampToMicros } from '../stix/timestamp';
import { testConfigObject, IDS } from '../../test/support/config';
import { makeObject } from '../../test/store/fixtures';
import { StatsService } from './stats';

describe('StatsService', () => {
  const config = buildConfig(testConfigObject());
  const collection = config.collections.find((c) => c.id === IDS.rw)!;
  const day = (d: string): bigint => timestampToMicros(`${d}T12:00:00.000000Z`);

  it('fills the last days with zeros, counts adds per day, and caches for its ttl', async () => {
    let micros = day('2026-03-01');
    const store = createSqliteStore({ path: ':memory:', clock: () => micros });
    await store.open();
    let elapsed = 0;
    const stats = new StatsService(store, { ttlMs: 1000, elapsed: () => elapsed, days: 3 });
    try {
      await store.addObjects(collection.id, [makeObject(), makeObject()], { user: 'alice', bypassOwnership: false });
      micros = day('2026-03-03');
      await store.addObjects(collection.id, [makeObject({ type: 'malware' })], { user: 'alice', bypassOwnership: false });
      const first = await stats.summary(collection, micros);
      expect(first.perDay).toEqual([
        { day: '2026-03-01', versions: 2 },
        { day: '2026-03-02', versions: 0 },
        { day: '2026-03-03', versions: 1 },
      ]);
      expect(first.objects).toBe(3);
      expect(first.byType.map((t) => t.type)).toEqual(['indicator', 'malware']);

      await store.addObjects(collection.id, [makeObject()], { user: 'alice', bypassOwnership: false });
      expect((await stats.summary(collection, micros)).objects).toBe(3);
      elapsed = 1001;
      expect((await stats.summary(collection, micros)).objects).toBe(4);
    } finally {
      await store.close();
    }
  });
});
