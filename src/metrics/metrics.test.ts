import { createSqliteStore } from '../store/sqlite';
import { StoreUnavailableError } from '../store/store';
import { instrumentStore, Metrics } from './metrics';

describe('instrumentStore', () => {
  it('times every store operation by name and result, and leaves results and errors unchanged', async () => {
    const metrics = new Metrics({ processMetrics: false });
    const raw = createSqliteStore({ path: ':memory:' });
    const store = instrumentStore(raw, metrics);
    await store.open();
    expect(await store.hasObject('c', 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBe(false);
    await store.close();
    await expect(store.hasObject('c', 'x')).rejects.toBeInstanceOf(StoreUnavailableError);
    const text = await metrics.text();
    expect(text).toMatch(/taxiway_store_operation_duration_seconds_count\{operation="hasObject",result="ok"\} 1/);
    expect(text).toMatch(/taxiway_store_operation_duration_seconds_count\{operation="hasObject",result="error"\} 1/);
    // open/close are not timed operations, but still reach the store.
    expect(text).not.toMatch(/operation="open"/);
  });

  it('reports store reachability at scrape time', async () => {
    const metrics = new Metrics({ processMetrics: false });
    const store = createSqliteStore({ path: ':memory:' });
    metrics.watchStore(store);
    expect(await metrics.text()).toMatch(/^taxiway_store_up 0$/m);
    await store.open();
    expect(await metrics.text()).toMatch(/^taxiway_store_up 1$/m);
    await store.close();
  });
});
