/**
 * Scenario 2, full poll: one client walks `GET …/objects/?limit=1000` through `next` to the end, as a
 * TAXII consumer syncing a collection does. The walk is sequential by nature, so client time adds to
 * every page: the timed walk therefore reads only the envelope's head (`more`, `next`) and counts
 * objects with a byte search, while an untimed verifying walk parses every page in full and checks
 * that the count is right. Also the manifest walk that finds the positions the other scenarios use.
 */
import { describe, type Reply, type TaxiiClient } from './client';
import { manifestPath, objectsPath } from './config';
import type { Recorder } from './recording';

const OBJECTS_KEY = Buffer.from('"objects":[');
/** Taxiway splices stored objects verbatim and the generator writes `type` first, so each object starts so. */
const OBJECT_START = Buffer.from('{"type":"');

export interface WalkResult {
  objects: number;
  pages: number;
  bytes: number;
  seconds: number;
  objectsPerSecond: number;
}

export interface WalkOptions {
  limit: number;
  /** Parse every page fully and check the fast count (untimed use only). */
  verify?: boolean;
  recorder?: Recorder;
  /** Stop after this many pages (the bare server holds only the recorded ones). */
  maxPages?: number;
}

interface EnvelopeHead {
  more?: boolean;
  next?: string;
}

export function pagePath(base: string, limit: number, next: string | undefined): string {
  return `${base}?limit=${limit}${next === undefined ? '' : `&next=${encodeURIComponent(next)}`}`;
}

/** `more` and `next` without parsing the objects: Taxiway writes them before `"objects":[`. */
function readHead(body: Buffer): { head: EnvelopeHead; objectsAt: number } {
  const objectsAt = body.indexOf(OBJECTS_KEY);
  if (objectsAt < 0) return { head: JSON.parse(body.toString('utf8')) as EnvelopeHead, objectsAt };
  const text = body.toString('utf8', 0, objectsAt).replace(/,$/, '');
  return { head: JSON.parse(`${text}}`) as EnvelopeHead, objectsAt };
}

function countObjects(body: Buffer, from: number): number {
  let n = 0;
  for (let at = body.indexOf(OBJECT_START, from); at >= 0; at = body.indexOf(OBJECT_START, at + OBJECT_START.length)) n++;
  return n;
}

function check(path: string, reply: Reply, fast: { head: EnvelopeHead; count: number }): void {
  const envelope = JSON.parse(reply.body.toString('utf8')) as EnvelopeHead & { objects?: unknown[] };
  const count = envelope.objects?.length ?? 0;
  if (count !== fast.count || envelope.more !== fast.head.more || envelope.next !== fast.head.next) {
    throw new Error(`walk: fast reading of ${path} disagrees with JSON.parse (${fast.count} vs ${count} objects)`);
  }
  if (count > 0 && (reply.headers['x-taxii-date-added-first'] === undefined || reply.headers['x-taxii-date-added-last'] === undefined)) {
    throw new Error(`walk: ${path} has objects but no X-TAXII-Date-Added-First/Last headers`);
  }
}

export async function walk(client: TaxiiClient, options: WalkOptions): Promise<WalkResult> {
  const base = objectsPath();
  let next: string | undefined;
  let objects = 0;
  let pages = 0;
  let bytes = 0;
  const started = process.hrtime.bigint();
  for (;;) {
    const path = pagePath(base, options.limit, next);
    const reply = await client.get(path);
    if (reply.status !== 200) throw new Error(`walk: ${describe('GET', path, reply)}`);
    const { head, objectsAt } = readHead(reply.body);
    const count = objectsAt < 0 ? 0 : countObjects(reply.body, objectsAt);
    if (options.verify) check(path, reply, { head, count });
    options.recorder?.add(path, reply);
    objects += count;
    pages++;
    bytes += reply.body.length;
    if (!head.more || (options.maxPages !== undefined && pages >= options.maxPages)) break;
    if (head.next === undefined) throw new Error(`walk: ${path} says more but gives no next`);
    next = head.next;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { objects, pages, bytes, seconds, objectsPerSecond: objects / seconds };
}

export interface ManifestPositions {
  total: number;
  /** date_added of the record just before each requested fraction, for `added_after`. */
  addedAfter: Map<number, string>;
  /** Ids at evenly spaced positions, for `match[id]`. */
  ids: string[];
}

/** Walks the manifest once (untimed) and keeps only what the read scenarios need. */
export async function manifestPositions(client: TaxiiClient, total: number, fractions: readonly number[], idCount: number, limit: number): Promise<ManifestPositions> {
  const wanted = new Map<number, number>(fractions.map((f) => [Math.max(0, Math.floor(f * total) - 1), f]));
  const idEvery = Math.max(1, Math.floor(total / idCount));
  const addedAfter = new Map<number, string>();
  const ids: string[] = [];
  let position = 0;
  let next: string | undefined;
  for (;;) {
    const path = pagePath(manifestPath(), limit, next);
    const reply = await client.get(path);
    if (reply.status !== 200) throw new Error(`manifest: ${describe('GET', path, reply)}`);
    const page = JSON.parse(reply.body.toString('utf8')) as { more?: boolean; next?: string; objects?: { id: string; date_added: string }[] };
    for (const record of page.objects ?? []) {
      const fraction = wanted.get(position);
      if (fraction !== undefined) addedAfter.set(fraction, record.date_added);
      if (position % idEvery === 0 && ids.length < idCount) ids.push(record.id);
      position++;
    }
    if (!page.more || page.next === undefined) break;
    next = page.next;
  }
  if (position !== total) throw new Error(`manifest lists ${position} objects but the objects walk returned ${total}`);
  return { total: position, addedAfter, ids };
}
