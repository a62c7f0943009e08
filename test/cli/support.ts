/**
 * Shared by the operator-command tests (import, export, stats): a throw-away deployment (a
 * config file naming a SQLite file in a temp folder), output sinks, and STIX inputs written in
 * each accepted format.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { buildConfig } from '../../src/config/load';
import type { TaxiwayConfig } from '../../src/config/types';
import { createStore } from '../../src/store';
import type { Store, StoreTransfer, StoredObject } from '../../src/store/store';
import { silentLogger } from '../../src/logging';
import { testConfigObject } from '../support/config';

const created: string[] = [];

// Deployments hold SQLite files (the memory test's is large): remove them with the test file.
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(label: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `taxiway-${label}-`));
  created.push(dir);
  return dir;
}

export interface Deployment {
  dir: string;
  /** The config file, for commands given `--config`. */
  configFile: string;
  config: TaxiwayConfig;
}

/**
 * The test config (see test/support/config.ts) with its store in a fresh SQLite file, or in
 * `store` when given; `extraCollections` are appended to its collections.
 */
export function deployment(label: string, options: { store?: Record<string, unknown>; extraCollections?: Array<Record<string, unknown>> } = {}): Deployment {
  const dir = tempDir(label);
  const base = testConfigObject();
  const raw = {
    ...base,
    collections: [...(base.collections as unknown[]), ...(options.extraCollections ?? [])],
    store: options.store ?? { type: 'sqlite', sqlite: { path: path.join(dir, 'taxiway.db') } },
  };
  const configFile = path.join(dir, 'taxiway.yaml');
  // YAML is a superset of JSON.
  writeFileSync(configFile, JSON.stringify(raw, null, 2));
  return { dir, configFile, config: buildConfig(raw, { baseDir: dir }) };
}

/** A writable that keeps what it is given. */
export class Sink extends Writable {
  private readonly chunks: Buffer[] = [];

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    callback();
  }

  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export function io(): { out: Sink; err: Sink } {
  return { out: new Sink(), err: new Sink() };
}

/** Opens the deployment's store (the caller closes it). */
export async function openStore(config: TaxiwayConfig): Promise<Store & StoreTransfer> {
  const store = createStore(config.store, silentLogger());
  await store.open();
  return store;
}

/** Every stored version of a collection (all versions, all spec versions), ascending by date_added. */
export async function storedObjects(store: Store, collectionId: string): Promise<StoredObject[]> {
  const all: StoredObject[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.queryObjects({ collectionId, versions: { all: true }, specVersions: { any: true }, after }, { limit: 1000 });
    all.push(...page.items);
    if (!page.more || page.items.length === 0) return all;
    after = page.items[page.items.length - 1].dateAdded;
  }
}

/** Runs `use` on the deployment's store, opened for it and closed afterwards. */
export async function withStore<T>(d: Deployment, use: (store: Store & StoreTransfer) => Promise<T>): Promise<T> {
  const store = await openStore(d.config);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** `storedObjects` of a deployment's collection, the store opened and closed around it. */
export function storedIn(d: Deployment, collectionId: string): Promise<StoredObject[]> {
  return withStore(d, (store) => storedObjects(store, collectionId));
}

export type InputShape = 'bundle' | 'envelope' | 'array' | 'ndjson';

/** Writes objects as a bundle, an envelope, a JSON array or NDJSON; returns the path. */
export function writeInput(dir: string, name: string, shape: InputShape, objects: readonly unknown[]): string {
  const file = path.join(dir, name);
  const text =
    shape === 'ndjson'
      ? objects.map((o) => JSON.stringify(o)).join('\n') + '\n'
      : shape === 'array'
        ? JSON.stringify(objects, null, 2)
        : shape === 'envelope'
          ? JSON.stringify({ more: false, objects }, null, 2)
          : JSON.stringify({ type: 'bundle', id: 'bundle--0b0d4a3b-2c57-4a0a-9d37-3c5e1a1b9f00', objects }, null, 2);
  writeFileSync(file, text);
  return file;
}
