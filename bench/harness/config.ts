/**
 * The configuration the benchmarked server runs with: one API root, one read-write collection, one
 * user with a known password, limits that let envelopes of 1,000 objects and pages of 1,000 through,
 * and warn-level logging so logging costs what it would in production.
 */
import { randomBytes, scryptSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export const API_ROOT = 'bench';
export const COLLECTION_ID = '6f1c7c1e-3d2b-4a8e-9f4c-1b2d3e4f5a6b';
export const USER = 'bench';
export const PASSWORD = 'bench-password-not-secret';

/** Envelopes of 1,000 generated objects are about 0.5 MB; this leaves room for bigger objects. */
const MAX_CONTENT_LENGTH = 16 * 1024 * 1024;

export type StoreSpec = { type: 'sqlite'; path: string } | { type: 'mongodb'; uri: string; database: string };

/**
 * The `$scrypt$…` format of `taxiway hash-password`, with a low cost: the server caches verified
 * logins anyway, and the first request of each autocannon connection should not wait 100 ms.
 */
export function scryptHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
  return `$scrypt$N=1024,r=8,p=1$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function objectsPath(): string {
  return `/${API_ROOT}/collections/${COLLECTION_ID}/objects/`;
}

export function manifestPath(): string {
  return `/${API_ROOT}/collections/${COLLECTION_ID}/manifest/`;
}

/** Writes `taxiway.yaml` into `dir` and returns its path. */
export function writeServerConfig(dir: string, store: StoreSpec, maxObjectsPerRequest: number): string {
  const config = {
    server: { host: '127.0.0.1', port: 8000, log_level: 'warn', log_format: 'json' },
    discovery: { title: 'Taxiway benchmark', default: API_ROOT },
    api_roots: [
      {
        path: API_ROOT,
        title: 'Benchmark',
        max_content_length: MAX_CONTENT_LENGTH,
        default_page_size: 100,
        max_page_size: 1000,
        max_objects_per_request: Math.max(1000, maxObjectsPerRequest),
      },
    ],
    collections: [
      {
        id: COLLECTION_ID,
        api_root: API_ROOT,
        title: 'Benchmark feed',
        permissions: { read: { users: [USER] }, write: { users: [USER] } },
      },
    ],
    users: [{ name: USER, password_hash: scryptHash(PASSWORD) }],
    store:
      store.type === 'sqlite'
        ? { type: 'sqlite', sqlite: { path: store.path } }
        : { type: 'mongodb', mongodb: { uri: store.uri, database: store.database } },
  };
  const file = path.join(dir, 'taxiway.yaml');
  writeFileSync(file, `# Written by bench/http.ts for one benchmark run.\n${YAML.stringify(config)}`);
  return file;
}
