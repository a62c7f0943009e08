/**
 * Two Taxiway apps (as two processes would be) on one MongoDB database: push through both while
 * one app's commit is held back, then page through either app with `next` and with
 * `added_after = X-TAXII-Date-Added-Last`, switching apps between pages: every object arrives
 * once, in date_added order, and nothing is served ahead of the held-back commit.
 */
import type { Express } from 'express';
import { buildApp } from '../../src/app';
import { buildConfig } from '../../src/config/load';
import { silentLogger } from '../../src/logging';
import { createStixValidator } from '../../src/stix/validator';
import { createMongoStore, type MongoStoreOptions } from '../../src/store/mongo';
import type { Store } from '../../src/store/store';
import { IDS, taxiiGet, taxiiPost, testConfigObject } from '../support/app';
import { describeWithMongo, mongoTestStoreOptions, useTestDatabases } from '../support/mongo';
import { envelope, indicator } from '../support/stix';

const objectsPath = `/api1/collections/${IDS.rw}/objects/`;

describeWithMongo('two Taxiway apps on one MongoDB database', (uri) => {
  const databases = useTestDatabases(uri, 'two_apps');
  const stores: Store[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  async function app(database: string, extra: Partial<MongoStoreOptions> = {}): Promise<Express> {
    const store = createMongoStore(mongoTestStoreOptions(uri, database, extra));
    await store.open();
    stores.push(store);
    return buildApp({ config: buildConfig(testConfigObject()), store, logger: silentLogger(), validator: createStixValidator() });
  }

  it('pages through either app without gaps or repeats while one writer commits late', async () => {
    const database = databases.next();
    const slow = indicator();
    let release = (): void => undefined;
    let reached = (): void => undefined;
    const slowReached = new Promise<void>((resolve) => (reached = resolve));
    const appA = await app(database, {
      testHooks: {
        beforeInsert: async (_collection, objectId) => {
          if (objectId !== slow.id) return;
          reached();
          await new Promise<void>((resolve) => (release = resolve));
        },
      },
    });
    const appB = await app(database);
    const apps = [appA, appB];

    const slowPush = taxiiPost(appA, objectsPath, envelope(slow), 'alice').then((res) => res);
    await slowReached;
    const fast = [indicator(), indicator(), indicator()];
    try {
      const fastPush = await taxiiPost(appB, objectsPath, envelope(...fast), 'alice');
      expect(fastPush.status).toBe(202);
      expect(fastPush.body.success_count).toBe(3);

      // A's reservation comes first and is not committed: neither app serves B's objects yet.
      for (const reader of apps) {
        const early = await taxiiGet(reader, objectsPath, 'alice');
        expect(early.status).toBe(200);
        expect(early.body.objects ?? []).toEqual([]);
      }
    } finally {
      release(); // also when an expectation failed, so the held request cannot hang the run
    }
    expect((await slowPush).body.success_count).toBe(1);
    const expected = [slow.id, ...fast.map((object) => object.id)];

    for (const mode of ['next', 'added_after'] as const) {
      const seen: string[] = [];
      let query = 'limit=1';
      for (let page = 0; page < 10; page++) {
        const res = await taxiiGet(apps[page % 2], `${objectsPath}?${query}`, 'alice');
        expect(res.status).toBe(200);
        seen.push(...(res.body.objects ?? []).map((object: { id: string }) => object.id));
        if (!res.body.more) break;
        query =
          mode === 'next'
            ? `limit=1&next=${encodeURIComponent(res.body.next as string)}`
            : `limit=1&added_after=${encodeURIComponent(res.headers['x-taxii-date-added-last'] as string)}`;
      }
      expect(seen).toEqual(expected);
    }
  });
});
