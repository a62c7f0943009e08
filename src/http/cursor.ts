import { parseTimestamp } from '../stix/timestamp';
import { badRequest } from './errors';

/**
 * `next` tokens: an opaque, versioned encoding of a position only (the date_added of the last
 * record served). Filters come from the query string each time and rights from the caller, so a
 * forged token can only position a query the caller could run anyway. date_added is unique within
 * a collection, so it alone is a total order. Tokens carry no server state: they stay valid
 * forever, across restarts and across instances.
 */

const PREFIX = 'v1.';

export function encodeCursor(dateAdded: string): string {
  return PREFIX + Buffer.from(dateAdded, 'utf8').toString('base64url');
}

export function decodeCursor(token: string): string {
  if (token.startsWith(PREFIX) && /^[A-Za-z0-9_-]+$/.test(token.slice(PREFIX.length))) {
    const text = Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8');
    const parsed = parseTimestamp(text, 6);
    if (parsed && parsed.canonical === text) return text;
  }
  throw badRequest(`The next parameter '${token.slice(0, 64)}' is not a token this server issued.`, { parameter: 'next' });
}
