import { randomUUID } from 'node:crypto';
import type { CollectionConfig } from '../config/types';
import { contentDigest, objectVersion, UNVERSIONED } from '../stix/object-version';
import { microsToTimestamp, nowMicros, timestampToMicros } from '../stix/timestamp';
import { formatIssues, type StixValidator } from '../stix/validator';
import type { IncomingObject, StatusDetail, StatusRecord, Store, Writer } from '../store/store';

export class EnvelopeError extends Error {}

/** The objects of an envelope, or of a STIX bundle (python-stix2 posts bundles). */
export function envelopeObjects(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new EnvelopeError('The request body must be a TAXII envelope: a JSON object with an "objects" list.');
  }
  const objects = (body as { objects?: unknown }).objects;
  if (objects === undefined) throw new EnvelopeError('The envelope has no "objects" list: there is nothing to add.');
  if (!Array.isArray(objects)) throw new EnvelopeError('The envelope\'s "objects" must be a list of STIX objects.');
  if (objects.length === 0) throw new EnvelopeError('The envelope\'s "objects" list is empty: TAXII forbids empty lists.');
  return objects;
}

interface Prepared {
  index: number;
  detail: StatusDetail;
  incoming?: IncomingObject;
  failure?: string;
  warnings?: string;
}

/** Deeper nesting than any STIX object needs; refusing it keeps recursion-based code safe. */
export const MAX_NESTING_DEPTH = 64;

/** Nesting depth of a JSON value, computed without recursion; stops counting past `limit`. */
function exceedsDepth(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** Validates one object; an unexpected exception fails that object only, never the envelope. */
function prepareSafely(object: unknown, index: number, collection: CollectionConfig, validator: StixValidator): Prepared {
  try {
    if (exceedsDepth(object, MAX_NESTING_DEPTH)) {
      const id = typeof (object as { id?: unknown }).id === 'string' ? ((object as { id: string }).id).slice(0, 300) : `objects[${index}]`;
      return { index, detail: { id, version: UNVERSIONED }, failure: `[nesting-depth] the object nests deeper than ${MAX_NESTING_DEPTH} levels` };
    }
    return prepare(object, index, collection, validator);
  } catch (err) {
    return { index, detail: { id: `objects[${index}]`, version: UNVERSIONED }, failure: `the object could not be processed: ${(err as Error).message}` };
  }
}

/** Validates one object and derives what the store and the status need. */
function prepare(object: unknown, index: number, collection: CollectionConfig, validator: StixValidator): Prepared {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    return { index, detail: { id: `objects[${index}]`, version: UNVERSIONED }, failure: `objects[${index}] is not a JSON object` };
  }
  const o = object as Record<string, unknown>;
  const id = typeof o.id === 'string' && o.id.length <= 300 ? o.id : `objects[${index}]`;
  const version = objectVersion(o);
  const detail: StatusDetail = { id, version: version ?? (typeof (o.modified ?? o.created) === 'string' ? String(o.modified ?? o.created) : UNVERSIONED) };
  // A bundle inside an envelope would be stored as one opaque object with unchecked contents.
  if (o.type === 'bundle') return { index, detail, failure: '[bundle-in-envelope] a bundle cannot be stored as an object: post the bundle itself as the request body, or its objects in an envelope' };
  // The validator checks everything else, including the basics (type, and an id of the form <type>--<UUID>).
  const result = validator.validate(o, { policy: collection.validation, acceptStix20: collection.media_types.includes('application/stix+json;version=2.0') });
  if (!result.valid) return { index, detail, failure: formatIssues(result.errors) };
  if (version === undefined) return { index, detail, failure: '/modified or /created is not a valid timestamp' };
  const mediaType = `application/stix+json;version=${result.specVersion}`;
  if (!collection.media_types.includes(mediaType)) {
    return { index, detail, failure: `this collection stores ${collection.media_types.join(', ')}; it does not accept STIX ${result.specVersion} objects` };
  }
  return {
    index,
    detail,
    incoming: { id: o.id as string, type: o.type as string, specVersion: result.specVersion, version, mediaType, json: JSON.stringify(o), digest: contentDigest(o) },
    warnings: result.warnings.length > 0 ? formatIssues(result.warnings) : undefined,
  };
}

export interface IngestContext {
  store: Store;
  validator: StixValidator;
  collection: CollectionConfig;
  apiRoot: string;
  writer: Writer;
  retentionHours: number;
  now?: () => bigint;
}

/**
 * Validates and stores the objects of one envelope, each on its own, and saves the status.
 * Processing is synchronous, so the status is always `complete`.
 */
export async function ingestEnvelope(objects: readonly unknown[], ctx: IngestContext): Promise<StatusRecord> {
  const clock = ctx.now ?? nowMicros;
  const requestTimestamp = microsToTimestamp(clock());
  const prepared = objects.map((o, i) => prepareSafely(o, i, ctx.collection, ctx.validator));
  const toStore = prepared.filter((p) => p.incoming);
  const outcomes = await ctx.store.addObjects(ctx.collection.id, toStore.map((p) => p.incoming as IncomingObject), ctx.writer);
  toStore.forEach((p, i) => {
    const outcome = outcomes[i];
    switch (outcome.kind) {
      case 'added':
        p.detail.message = `added at ${outcome.dateAdded}`;
        break;
      case 'duplicate':
        p.detail.message = `already in the collection (identical version added at ${outcome.dateAdded}); not stored again`;
        break;
      case 'conflict':
        p.failure = `a different object with this id and version (${p.detail.version}) is already in the collection; nothing was overwritten`;
        break;
      case 'not-owner':
        p.failure = `object ${p.detail.id} was first pushed by another user; only that user or a collection maintainer may add versions of it`;
        break;
    }
    if (!p.failure && p.warnings) p.detail.message += `; warnings: ${p.warnings}`;
  });
  const successes = prepared.filter((p) => !p.failure).map((p) => p.detail);
  const failures = prepared.filter((p) => p.failure).map((p) => ({ ...p.detail, message: p.failure }));
  const expires = timestampToMicros(requestTimestamp) + BigInt(Math.round(ctx.retentionHours * 3600)) * 1_000_000n;
  const status: StatusRecord = {
    id: randomUUID(),
    owner: ctx.writer.user,
    apiRoot: ctx.apiRoot,
    status: 'complete',
    requestTimestamp,
    totalCount: objects.length,
    successCount: successes.length,
    failureCount: failures.length,
    pendingCount: 0,
    successes,
    failures,
    pendings: [],
    expiresAt: microsToTimestamp(expires),
  };
  await ctx.store.saveStatus(status);
  return status;
}

/** The TAXII status resource: lists only when non-empty (TAXII forbids empty lists). */
export function statusResource(s: StatusRecord): Record<string, unknown> {
  const resource: Record<string, unknown> = {
    id: s.id,
    status: s.status,
    request_timestamp: s.requestTimestamp,
    total_count: s.totalCount,
    success_count: s.successCount,
  };
  if (s.successes.length > 0) resource.successes = s.successes;
  resource.failure_count = s.failureCount;
  if (s.failures.length > 0) resource.failures = s.failures;
  resource.pending_count = s.pendingCount;
  if (s.pendings.length > 0) resource.pendings = s.pendings;
  return resource;
}
