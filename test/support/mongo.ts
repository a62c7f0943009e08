/**
 * How tests reach MongoDB: `MONGODB_URI` names a server (MongoDB 6–8, or FerretDB from
 * `scripts/ferretdb.sh`); each test file works in databases of its own and drops them afterwards.
 *
 * Without `MONGODB_URI` the MongoDB tests are skipped with one line saying how to run them, so
 * `npm test` passes on a fresh machine; with `TAXIWAY_REQUIRE_MONGO=1` (CI) they fail instead.
 */
import { randomBytes } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { MongoStoreOptions } from '../../src/store/mongo';

export const HOW_TO_RUN_MONGO_TESTS =
  'MongoDB tests skipped: run them with MONGODB_URI=mongodb://127.0.0.1:27017 npm test ' +
  '(no MongoDB? scripts/ferretdb.sh start prints a FerretDB MONGODB_URI)';

/** The server under test, or undefined when none is configured. */
export function mongoUri(): string | undefined {
  const uri = process.env.MONGODB_URI?.trim();
  return uri ? uri : undefined;
}

export function mongoRequired(): boolean {
  return process.env.TAXIWAY_REQUIRE_MONGO === '1';
}

/**
 * `describe` for tests that need MongoDB. Without a server it registers nothing but one skipped
 * test (and prints the how-to line), or one failing test when MongoDB is required.
 */
export function describeWithMongo(name: string, body: (uri: string) => void): void {
  const uri = mongoUri();
  if (uri !== undefined) {
    describe(name, () => body(uri));
    return;
  }
  if (mongoRequired()) {
    describe(name, () => {
      it('has a MongoDB server to test against', () => {
        throw new Error('TAXIWAY_REQUIRE_MONGO=1 but MONGODB_URI is not set (did FerretDB fail to build or start?)');
      });
    });
    return;
  }
  printMongoSkipNoticeOnce();
  describe.skip(name, () => {
    it('needs MONGODB_URI', () => undefined);
  });
}

/**
 * Several test files skip; the how-to line should appear once per Jest run, not once per file.
 * Files of one run share the Jest process (or, for child-process workers, its pid as parent), so
 * a marker file named after it lets only the first file print.
 */
export function printMongoSkipNoticeOnce(): void {
  const jestPid = typeof process.send === 'function' ? process.ppid : process.pid;
  const marker = join(tmpdir(), `taxiway-mongo-skip-notice-${jestPid}`);
  try {
    writeFileSync(marker, '', { flag: 'wx' }); // exclusive: only one file of the run gets here
  } catch {
    // Printed already in this run, unless the marker is an old one from a recycled pid.
    if (Date.now() - mtimeMs(marker) < 60 * 60 * 1000) return;
    writeFileSync(marker, '');
  }
  process.stderr.write(`${HOW_TO_RUN_MONGO_TESTS}\n`);
}

function mtimeMs(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** A database name no other test file uses: `taxiway_test_<label>_<random>`. */
export function testDatabaseName(label: string): string {
  const safe = label.replace(/[^a-zA-Z0-9]/g, '_').slice(0, 30);
  return `taxiway_test_${safe}_${randomBytes(5).toString('hex')}`;
}

/**
 * Hands out fresh database names for one test file and drops them all in `afterAll`.
 * Call at the top of a `describeWithMongo` body.
 */
export function useTestDatabases(uri: string, label: string): { next(): string } {
  const created: string[] = [];
  afterAll(async () => {
    await dropDatabases(uri, created);
  });
  return {
    next(): string {
      const name = testDatabaseName(label);
      created.push(name);
      return name;
    },
  };
}

export async function dropDatabases(uri: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.connect();
    for (const name of names) await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}

/** Store options for tests: the given database, quick retries, everything else as in production. */
export function mongoTestStoreOptions(uri: string, database: string, extra: Partial<MongoStoreOptions> = {}): MongoStoreOptions {
  return { uri, database, connectRetries: { attempts: 3, initialDelayMs: 100, maxDelayMs: 500 }, ...extra };
}
