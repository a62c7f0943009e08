import type { Response } from 'express';
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
 * added_after), which is a valid timestamp that keeps a checkpointing client where it was; with
 * neither, they are omitted. Never a placeholder.
 */
export function dateHeaders(first: string | undefined, last: string | undefined, position: string | undefined): Record<string, string> {
  if (first !== undefined && last !== undefined) return { [DATE_ADDED_FIRST]: first, [DATE_ADDED_LAST]: last };
  if (position !== undefined) return { [DATE_ADDED_FIRST]: position, [DATE_ADDED_LAST]: position };
  return {};
}
