/**
 * Content negotiation for TAXII 2.1.
 *
 * Every response is `application/taxii+json;version=2.1`. A request is acceptable when its Accept
 * header names, with a non-zero quality, `application/taxii+json` at version 2.1 or without a
 * version (meaning the latest, i.e. 2.1), the deprecated alias `application/vnd.oasis.taxii+json`
 * likewise, or a wildcard `*\/*` or `application/*` (so a plain curl works). A request without an
 * Accept header is treated as `*\/*`.
 */

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';

const TAXII_TYPES = new Set(['application/taxii+json', 'application/vnd.oasis.taxii+json']);

interface MediaRange {
  type: string;
  params: Map<string, string>;
}

function parseRange(text: string): MediaRange | undefined {
  const [typePart, ...paramParts] = text.split(';');
  const type = typePart.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+*-]+\/[a-z0-9!#$&^_.+*-]+$/.test(type)) return undefined;
  const params = new Map<string, string>();
  for (const p of paramParts) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const name = p.slice(0, eq).trim().toLowerCase();
    const value = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    params.set(name, value);
  }
  return { type, params };
}

/** Splits a header list on commas outside quoted strings. */
function splitList(header: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.filter((p) => p.trim() !== '');
}

function quality(range: MediaRange): number {
  const q = range.params.get('q');
  if (q === undefined) return 1;
  const n = Number(q);
  return Number.isFinite(n) ? n : 0;
}

/** True for TAXII 2.1 media types (with or without `version=2.1`). */
export function isTaxii21(range: MediaRange): boolean {
  if (!TAXII_TYPES.has(range.type)) return false;
  const version = range.params.get('version');
  return version === undefined || version === '2.1';
}

/** Whether an Accept header allows a TAXII 2.1 response. */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return splitList(accept)
    .map(parseRange)
    .some((r) => r !== undefined && quality(r) > 0 && (r.type === '*/*' || r.type === 'application/*' || isTaxii21(r)));
}

/** Whether a request Content-Type is the TAXII 2.1 media type. */
export function isTaxiiContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const range = parseRange(contentType);
  return range !== undefined && isTaxii21(range);
}
