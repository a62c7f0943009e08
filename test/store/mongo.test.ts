/**
 * The MongoDB store runs the store-conformance suite with a controllable clock (the real clock
 * runs in mongo-real-clock.test.ts, in parallel). Needs MONGODB_URI (see test/support/mongo.ts);
 * MongoDB-only behaviour is in the other `mongo-*.test.ts` files.
 */
import { createMongoStore } from '../../src/store/mongo';
import { describeWithMongo, mongoTestStoreOptions, useTestDatabases } from '../support/mongo';
import { describeStoreConformance } from './conformance';
import { TestClock } from './fixtures';

// The suite's bulk tests (2,100 objects) need more than the default 30 s on FerretDB, whose
// writes cost milliseconds each; MongoDB finishes them in a few seconds.
jest.setTimeout(180_000);

describeWithMongo('MongoDB store', (uri) => {
  const databases = useTestDatabases(uri, 'conformance');

  describeStoreConformance(
    'mongodb, controllable clock',
    async () => {
      const clock = new TestClock();
      const store = createMongoStore(mongoTestStoreOptions(uri, databases.next(), { clock: clock.read }));
      return { store, clock, cleanup: () => store.close() };
    },
    { controllableClock: true },
  );
});
