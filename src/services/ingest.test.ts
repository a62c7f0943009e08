import { buildConfig } from '../config/load';
import { createStixValidator } from '../stix/validator';
import { createSqliteStore } from '../store/sqlite';
import { IDS, testConfigObject } from '../../test/support/config';
import { indicator } from '../../test/support/stix';
import { IngestService, SLICE_OBJECTS } from './ingest';

describe('IngestService', () => {
  const config = buildConfig(testConfigObject());
  const collection = { ...config.collections.find((c) => c.id === IDS.rw)!, max_object_bytes: 4096 };
  const target = { collection, apiRoot: 'api1', writer: { user: 'alice', bypassOwnership: false } };
  const validator = createStixValidator();

  async function service(): Promise<{ ingest: IngestService; close: () => Promise<void>; calls: number[] }> {
    const store = createSqliteStore({ path: ':memory:' });
    await store.open();
    const calls: number[] = [];
    const counting = new Proxy(store, {
      get(t, p, r) {
        if (p === 'addObjects') return (c: string, objects: unknown[], w: never) => (calls.push(objects.length), t.addObjects(c, objects as never, w));
        const v: unknown = Reflect.get(t, p, r);
        return typeof v === 'function' ? (v as () => unknown).bind(t) : v;
      },
    });
    return { ingest: new IngestService({ store: counting, validator, clock: () => 1_900_000_000_000_000n, retentionHours: 24 }), close: () => store.close(), calls };
  }

  it('stores an envelope in slices of at most SLICE_OBJECTS objects, one status entry per object', async () => {
    const { ingest, close, calls } = await service();
    try {
      const objects = Array.from({ length: SLICE_OBJECTS * 2 + 5 }, () => indicator());
      const status = await ingest.ingest(objects, target);
      expect(status).toMatchObject({ totalCount: objects.length, successCount: objects.length, failureCount: 0 });
      expect(calls.reduce((a, b) => a + b, 0)).toBe(objects.length);
      for (const n of calls) expect(n).toBeLessThanOrEqual(SLICE_OBJECTS);
      expect(calls.length).toBeGreaterThanOrEqual(3);
    } finally {
      await close();
    }
  });

  it('refuses an object over max_object_bytes with a clear failure, and stores the rest', async () => {
    const { ingest, close } = await service();
    try {
      const status = await ingest.ingest([{ ...indicator(), description: 'x'.repeat(5000) }, indicator()], target);
      expect(status.successCount).toBe(1);
      expect(status.failures[0].message).toMatch(/^\[object-too-large\] the object is \d+ bytes; this collection takes objects of at most 4096 bytes$/);
    } finally {
      await close();
    }
  });

  it('lists at most 10 problems per object, then says how many more', async () => {
    const { ingest, close } = await service();
    try {
      const bad = { ...indicator(), labels: Array.from({ length: 15 }, () => 1) };
      const status = await ingest.ingest([bad], target);
      const message = status.failures[0].message ?? '';
      expect(message.split('; ')).toHaveLength(11);
      expect(message).toMatch(/; and 5 more problems$/);
      const huge = { ...indicator(), labels: Array.from({ length: 100_000 }, () => 1) };
      const hugeStatus = await ingest.ingest([huge], target);
      expect(hugeStatus.failures[0].message).toMatch(/and possibly more problems/);
      expect((hugeStatus.failures[0].message ?? '').length).toBeLessThan(5000);
    } finally {
      await close();
    }
  });

  it('previews objects with the messages of a push and stores nothing', async () => {
    const { ingest, close, calls } = await service();
    try {
      const results = await ingest.preview([indicator(), { ...indicator(), pattern: 'nope' }, 7], collection);
      expect(results.map((r) => r.kind)).toEqual(['added', 'failed', 'failed']);
      expect(results[1].detail.message).toMatch(/^\[pattern-syntax\]/);
      expect(results[2].detail.message).toBe('[json-object] objects[2] is not a JSON object');
      expect(calls).toEqual([]);
    } finally {
      await close();
    }
  });
});
