/**
 * Adding objects (TAXII push, `taxiway import`): each object is checked on its own (size, STIX
 * validation under the collection's policy and media types), serialised and digested once, and
 * stored; the outcome of each becomes one entry of the status resource.
 *
 * Work is bounded per step so one large or hostile envelope never holds the event loop for long:
 * objects are prepared and stored in slices of at most SLICE_OBJECTS objects, a slice also ends
 * once preparing it has taken SLICE_MILLIS, and the service yields to other requests between slices.
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Clock } from '../clock';
import type { CollectionConfig } from '../config/types';
import { contentDigest } from '../stix/digest';
import { objectVersion, UNVERSIONED } from '../stix/object-version';
import { microsToTimestamp } from '../stix/timestamp';
import { formatIssues, type StixValidator } from '../stix/validator';
import type { IncomingObject, StatusDetail, StatusRecord, Store, Writer } from '../store/store';
import { EnvelopeError } from './errors';

/** Objects per store call: large enough to amortise a call, small enough to keep each step short. */
export const SLICE_OBJECTS = 1000;
/** Preparing (validating, digesting) a slice stops early after this long, to let other requests in. */
const SLICE_MILLIS = 50;

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

/** What happened to one object, for the status and for counters (`reason` is a rule id). */
export type ObjectResult =
  | { kind: 'added' | 'duplicate'; detail: StatusDetail }
  | { kind: 'failed'; reason: string; detail: StatusDetail };

export interface IngestTarget {
  collection: CollectionConfig;
  /** The API root the status belongs to. */
  apiRoot: string;
  writer: Writer;
}

export interface IngestServiceOptions {
  store: Store;
  validator: StixValidator;
  clock: Clock;
  /** How long statuses stay readable. */
  retentionHours: number;
  /** Told about every object's outcome (metrics). */
  onResult?: (result: ObjectResult, collection: CollectionConfig) => void;
}

/** One object after checking: ready to store, or failed with a reason. */
type Prepared =
  | { ok: true; detail: StatusDetail; incoming: IncomingObject; warnings?: string }
  | { ok: false; detail: StatusDetail; reason: string; message: string };

const failed = (detail: StatusDetail, reason: string, message: string): Prepared => ({ ok: false, detail, reason, message: `[${reason}] ${message}` });

export class IngestService {
  constructor(private readonly options: IngestServiceOptions) {}

  /** Validates and stores an envelope's objects, saves the status and returns it (always `complete`). */
  async ingest(objects: readonly unknown[], target: IngestTarget): Promise<StatusRecord> {
    const requestTimestamp = microsToTimestamp(this.options.clock());
    const results: ObjectResult[] = [];
    for (let start = 0; start < objects.length; ) {
      const { results: slice, next } = await this.addSlice(objects, start, target);
      for (const result of slice) results.push(result);
      start = next;
      if (start < objects.length) await yieldToEventLoop();
    }
    const status = this.statusOf(results, requestTimestamp, target);
    await this.options.store.saveStatus(status);
    return status;
  }

  /**
   * Prepares and stores objects from `start` on: at most SLICE_OBJECTS, fewer when preparing takes
   * longer than SLICE_MILLIS. Returns their results and where the next slice starts. Used directly
   * by `taxiway import`, which streams objects and keeps its own summary; `indexBase` is the
   * position of `objects[0]` in the whole input, for the names of objects without a usable id.
   */
  async addSlice(objects: readonly unknown[], start: number, target: IngestTarget, indexBase = 0): Promise<{ results: ObjectResult[]; next: number }> {
    const began = performance.now();
    const prepared: Prepared[] = [];
    let index = start;
    while (index < objects.length && prepared.length < SLICE_OBJECTS) {
      prepared.push(this.prepareSafely(objects[index], indexBase + index, target.collection));
      index++;
      if (performance.now() - began > SLICE_MILLIS) break;
    }
    const toStore = prepared.filter((p): p is Extract<Prepared, { ok: true }> => p.ok);
    const outcomes = toStore.length > 0 ? await this.options.store.addObjects(target.collection.id, toStore.map((p) => p.incoming), target.writer) : [];
    const outcomeOf = new Map(toStore.map((p, i) => [p, outcomes[i]]));
    const results = prepared.map((p): ObjectResult => {
      if (!p.ok) return { kind: 'failed', reason: p.reason, detail: { ...p.detail, message: p.message } };
      const outcome = outcomeOf.get(p);
      const warnings = p.warnings ? `; warnings: ${p.warnings}` : '';
      switch (outcome?.kind) {
        case 'added':
          // A plain success says nothing more than its id and version: statuses are kept for a day
          // and an envelope's status would otherwise be as large as the envelope.
          return { kind: 'added', detail: p.warnings ? { ...p.detail, message: `stored; warnings: ${p.warnings}` } : p.detail };
        case 'duplicate':
          return { kind: 'duplicate', detail: { ...p.detail, message: `already in the collection (identical version added at ${outcome.dateAdded}); not stored again${warnings}` } };
        case 'conflict':
          return { kind: 'failed', reason: 'conflict', detail: { ...p.detail, message: `[conflict] a different object with this id and version (${p.detail.version}) is already in the collection; nothing was overwritten` } };
        case 'not-owner':
          return { kind: 'failed', reason: 'not-owner', detail: { ...p.detail, message: `[not-owner] object ${p.detail.id} was first pushed by another user; only that user or a collection maintainer may add versions of it` } };
        default:
          throw new Error('the store returned fewer outcomes than objects');
      }
    });
    for (const result of results) this.options.onResult?.(result, target.collection);
    return { results, next: index };
  }

  /**
   * What a push of these objects to `collection` would say about each, without storing anything:
   * the same checks and messages, except that duplicates and conflicts with stored versions (and
   * ownership) are not known. For the console's validation page.
   */
  async preview(objects: readonly unknown[], collection: CollectionConfig): Promise<ObjectResult[]> {
    const results: ObjectResult[] = [];
    let began = performance.now();
    for (let index = 0; index < objects.length; index++) {
      const p = this.prepareSafely(objects[index], index, collection);
      if (p.ok) results.push({ kind: 'added', detail: { ...p.detail, message: `valid${p.warnings ? `; warnings: ${p.warnings}` : ''}` } });
      else results.push({ kind: 'failed', reason: p.reason, detail: { ...p.detail, message: p.message } });
      if (performance.now() - began > SLICE_MILLIS) {
        await yieldToEventLoop();
        began = performance.now();
      }
    }
    return results;
  }

  /** An unexpected exception fails that object only, never the envelope. */
  private prepareSafely(object: unknown, index: number, collection: CollectionConfig): Prepared {
    try {
      return this.prepare(object, index, collection);
    } catch (err) {
      return failed({ id: `objects[${index}]`, version: UNVERSIONED }, 'processing', `the object could not be processed: ${(err as Error).message}`);
    }
  }

  private prepare(object: unknown, index: number, collection: CollectionConfig): Prepared {
    if (typeof object !== 'object' || object === null || Array.isArray(object)) {
      return failed({ id: `objects[${index}]`, version: UNVERSIONED }, 'json-object', `objects[${index}] is not a JSON object`);
    }
    const o = object as Record<string, unknown>;
    const id = typeof o.id === 'string' && o.id.length <= 300 ? o.id : `objects[${index}]`;
    const version = objectVersion(o);
    const shownVersion = typeof (o.modified ?? o.created) === 'string' ? String(o.modified ?? o.created).slice(0, 64) : UNVERSIONED;
    const detail: StatusDetail = { id, version: version ?? shownVersion };
    // A bundle inside an envelope would be stored as one opaque object with unchecked contents.
    if (o.type === 'bundle') return failed(detail, 'bundle-in-envelope', 'a bundle cannot be stored as an object: post the bundle itself as the request body, or its objects in an envelope');
    // The validator checks everything else, including the basics (type, an id of the form
    // <type>--<UUID>, and a nesting depth that the serialiser and the digest can walk safely).
    const result = this.options.validator.validate(o, { policy: collection.validation, acceptStix20: collection.media_types.includes('application/stix+json;version=2.0') });
    if (!result.valid) return { ok: false, detail, reason: result.errors[0]?.rule ?? 'invalid', message: formatIssues(result.errors, result.unlisted) };
    const json = JSON.stringify(o);
    const bytes = Buffer.byteLength(json);
    if (bytes > collection.max_object_bytes) {
      return failed(detail, 'object-too-large', `the object is ${bytes} bytes; this collection takes objects of at most ${collection.max_object_bytes} bytes`);
    }
    if (version === undefined) return failed(detail, 'timestamp', '/modified or /created is not a valid timestamp');
    const mediaType = `application/stix+json;version=${result.specVersion}`;
    if (!collection.media_types.includes(mediaType)) {
      return failed(detail, 'media-type', `this collection stores ${collection.media_types.join(', ')}; it does not accept STIX ${result.specVersion} objects`);
    }
    return {
      ok: true,
      detail,
      incoming: { id: o.id as string, type: o.type as string, specVersion: result.specVersion, version, mediaType, json, digest: contentDigest(o) },
      warnings: result.warnings.length > 0 ? formatIssues(result.warnings) : undefined,
    };
  }

  private statusOf(results: readonly ObjectResult[], requestTimestamp: string, target: IngestTarget): StatusRecord {
    const successes = results.filter((r) => r.kind !== 'failed').map((r) => r.detail);
    const failures = results.filter((r) => r.kind === 'failed').map((r) => r.detail);
    const retentionMicros = BigInt(Math.round(this.options.retentionHours * 3600)) * 1_000_000n;
    return {
      id: randomUUID(),
      owner: target.writer.user,
      apiRoot: target.apiRoot,
      status: 'complete',
      requestTimestamp,
      totalCount: results.length,
      successCount: successes.length,
      failureCount: failures.length,
      pendingCount: 0,
      successes,
      failures,
      pendings: [],
      expiresAt: microsToTimestamp(this.options.clock() + retentionMicros),
    };
  }
}
