import { once } from 'node:events';
import type { Response } from 'express';
import type { Page, StatusRecord } from '../store/store';
import { encodeCursor } from './cursor';
import { TAXII_MEDIA_TYPE } from './media-types';

export const DATE_ADDED_FIRST = 'X-TAXII-Date-Added-First';
export const DATE_ADDED_LAST = 'X-TAXII-Date-Added-Last';

/** Sends a TAXII resource with the TAXII media type. `body` may be pre-serialised JSON text. */
export function sendTaxii(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.status(status);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', TAXII_MEDIA_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * The date headers of a page: date_added of its first and last record. An empty page has no
 * record to describe, so the headers then carry the position the client asked from (its cursor or
 * added_after, whichever is later), which is a valid timestamp that keeps a checkpointing client
 * where it was; with neither, they are omitted. Never a placeholder.
 */
export function dateHeaders(first: string | undefined, last: string | undefined, position: string | undefined): Record<string, string> {
  if (first !== undefined && last !== undefined) return { [DATE_ADDED_FIRST]: first, [DATE_ADDED_LAST]: last };
  if (position !== undefined) return { [DATE_ADDED_FIRST]: position, [DATE_ADDED_LAST]: position };
  return {};
}

/** Pagination fields and date headers shared by every paged endpoint; `after` is the request's lower bound. */
export function pageEnvelope(page: Page<{ dateAdded: string }>, after: string | undefined): { envelope: Record<string, unknown>; headers: Record<string, string> } {
  const first = page.items[0]?.dateAdded;
  const last = page.items[page.items.length - 1]?.dateAdded;
  const envelope: Record<string, unknown> = {};
  if (page.items.length > 0) envelope.more = page.more;
  if (page.more) {
    envelope.more = true;
    // Always send next with more: taxii2-client and python-stix2 page only through next.
    envelope.next = encodeCursor(last ?? after ?? '0000-01-01T00:00:00.000000Z');
  }
  return { envelope, headers: dateHeaders(first, last, after) };
}

/** Bytes gathered before a write on large responses; small pages go out in one write. */
const WRITE_CHUNK_BYTES = 256 * 1024;

/**
 * Sends an envelope whose objects are stored JSON texts, spliced in verbatim (never parsed and
 * re-serialised). Large bodies are written in chunks that wait for the client to drain, so a
 * client that does not read holds at most one chunk in the socket buffers, and each written
 * object text can be collected meanwhile.
 */
export async function sendEnvelope(res: Response, envelope: Record<string, unknown>, objectJson: string[], headers: Record<string, string>): Promise<void> {
  const head = JSON.stringify(envelope);
  if (objectJson.length === 0) return sendTaxii(res, 200, head, headers);
  const open = `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"objects":[`;
  let length = Buffer.byteLength(open) + 2 + (objectJson.length - 1);
  for (const json of objectJson) length += Buffer.byteLength(json);
  res.status(200);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', TAXII_MEDIA_TYPE);
  res.setHeader('Content-Length', length);
  if (length <= WRITE_CHUNK_BYTES) {
    res.end(`${open}${objectJson.join(',')}]}`);
    return;
  }
  let chunk: string[] = [open];
  let chunkBytes = 0;
  for (let i = 0; i < objectJson.length; i++) {
    if (i > 0) chunk.push(',');
    chunk.push(objectJson[i]);
    chunkBytes += objectJson[i].length;
    objectJson[i] = '';
    if (chunkBytes >= WRITE_CHUNK_BYTES) {
      const flushed = res.write(chunk.join(''));
      chunk = [];
      chunkBytes = 0;
      if (!flushed && !(await drained(res))) return;
    }
  }
  chunk.push(']}');
  res.end(chunk.join(''));
}

/** Waits until the response can take more; false when the client went away first. */
async function drained(res: Response): Promise<boolean> {
  if (res.destroyed) return false;
  const ac = new AbortController();
  try {
    const [event] = await Promise.race([once(res, 'drain', { signal: ac.signal }).then(() => ['drain']), once(res, 'close', { signal: ac.signal }).then(() => ['close'])]);
    return event === 'drain';
  } finally {
    ac.abort();
  }
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
