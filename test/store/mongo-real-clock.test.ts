/** The store-conformance suite on the MongoDB store with the real clock (see mongo.test.ts). */
import { createMongoStore } from '../../src/store/mongo';
import { describeWithMongo, mongoTestStoreOptions, useTestDatabases } from '../support/mongo';
import { describeStoreConformance } from './conformance';

// The suite's bulk tests (2,100 objects) need more than the default 30 s on FerretDB, whose
// writes cost milliseconds each; MongoDB finishes them in a few seconds.
jest.setTimeout(180_000);

describeWithMongo('MongoDB store', (uri) => {
  const databases = useTestDatabases(uri, 'conformance_real_clock');

  describeStoreConformance('mongodb, real clock', async () => {
    const store = createMongoStore(mongoTestStoreOptions(uri, databases.next()));
    return { store, cleanup: () => store.close() };
  });
});
