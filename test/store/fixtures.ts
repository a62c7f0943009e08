/**
 * Small generated fixtures for store tests: IncomingObject values built from a few fields.
 * Store-agnostic; the digest is a sha256 of the JSON text (stores only compare digests).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingObject, ObjectQuery, SpecVersionSelection, StatusRecord, VersionSelection, Writer } from '../../src/store/store';

/**
 * The version the suite gives objects without `created`/`modified` (most SCOs). The store treats
 * it like any other version; the HTTP layer decides the real constant.
 */
export const UNVERSIONED = '1970-01-01T00:00:00.000000Z';

export interface ObjectFields {
  type?: string;
  id?: string;
  /** Canonical timestamp; defaults to a fixed instant. */
  version?: string;
  specVersion?: string;
  /** Extra properties, to make two objects with one id and version differ. */
  extra?: Record<string, unknown>;
  /** Use this JSON text verbatim instead of generating it. */
  json?: string;
}

export function stixId(type: string): string {
  return `${type}--${randomUUID()}`;
}

export function makeObject(fields: ObjectFields = {}): IncomingObject {
  const type = fields.type ?? 'indicator';
  const id = fields.id ?? stixId(type);
  const version = fields.version ?? '2024-01-01T00:00:00.000000Z';
  const specVersion = fields.specVersion ?? '2.1';
  const body: Record<string, unknown> = { type, id };
  if (specVersion !== '2.0') body.spec_version = specVersion;
  if (version !== UNVERSIONED) Object.assign(body, { created: version, modified: version });
  Object.assign(body, fields.extra);
  const json = fields.json ?? JSON.stringify(body);
  return {
    id,
    type,
    specVersion,
    version,
    mediaType: `application/stix+json;version=${specVersion}`,
    json,
    digest: createHash('sha256').update(json).digest('hex'),
  };
}

/** Canonical timestamp for a day of 2024 plus seconds, handy for readable versions. */
export function v(day: number, seconds = 0): string {
  const d = String(day).padStart(2, '0');
  const s = String(seconds).padStart(2, '0');
  return `2024-01-${d}T00:00:${s}.000000Z`;
}

export const alice: Writer = { user: 'alice', bypassOwnership: false };
export const bob: Writer = { user: 'bob', bypassOwnership: false };
export const maintainer: Writer = { user: 'mallory-maintainer', bypassOwnership: true };
export const anonymous: Writer = { bypassOwnership: false };

export const ALL_VERSIONS: VersionSelection = { all: true };
export const LAST: VersionSelection = { first: false, last: true, exact: [] };
export const FIRST: VersionSelection = { first: true, last: false, exact: [] };
export const LATEST_SPEC: SpecVersionSelection = { latest: true };
export const ANY_SPEC: SpecVersionSelection = { any: true };

export function newCollectionId(): string {
  return `test-${randomUUID()}`;
}

/** The TAXII default query (last version, latest spec) with overrides. */
export function query(collectionId: string, overrides: Partial<ObjectQuery> = {}): ObjectQuery {
  return { collectionId, versions: LAST, specVersions: LATEST_SPEC, ...overrides };
}

/** Every version in every spec: what the store holds, regardless of bookkeeping. */
export function everything(collectionId: string, overrides: Partial<ObjectQuery> = {}): ObjectQuery {
  return { collectionId, versions: ALL_VERSIONS, specVersions: ANY_SPEC, ...overrides };
}

/** A controllable clock (µs since the epoch) that tests hand to a store that accepts one. */
export class TestClock {
  constructor(private micros: bigint = 1_900_000_000_000_000n) {}

  /** Pass this to the store. */
  readonly read = (): bigint => this.micros;

  set(micros: bigint): void {
    this.micros = micros;
  }

  advance(micros: bigint): void {
    this.micros += micros;
  }

  get now(): bigint {
    return this.micros;
  }
}

/** A status of alice's with one success, one failure and one pending object; override any field. */
export function makeStatus(overrides: Partial<StatusRecord> = {}): StatusRecord {
  return {
    id: randomUUID(),
    owner: 'alice',
    apiRoot: 'api1',
    status: 'complete',
    requestTimestamp: '2024-01-01T00:00:00.000000Z',
    totalCount: 3,
    successCount: 1,
    failureCount: 1,
    pendingCount: 1,
    successes: [{ id: stixId('indicator'), version: v(1), message: 'added' }],
    failures: [{ id: stixId('indicator'), version: v(1), message: 'conflict' }],
    pendings: [{ id: stixId('malware'), version: v(2) }],
    expiresAt: '2030-01-01T00:00:00.000000Z',
    ...overrides,
  };
}
