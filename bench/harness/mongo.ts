/** A fresh database per run, dropped afterwards, so runs never see each other's data. */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';

export function freshDatabaseName(): string {
  return `taxiway_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export async function dropDatabase(uri: string, database: string): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    await client.db(database).dropDatabase();
  } finally {
    await client.close();
  }
}
