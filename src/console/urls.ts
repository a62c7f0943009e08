/** The console's own addresses, built in one place. Every segment is percent-encoded. */
import type { CollectionConfig } from '../config/types';

const enc = encodeURIComponent;

export function collectionPath(base: string, collection: CollectionConfig): string {
  return `${base}/collections/${enc(collection.api_root)}/${enc(collection.id)}/`;
}

export function objectPath(base: string, collection: CollectionConfig, id: string): string {
  return `${collectionPath(base, collection)}objects/${enc(id)}/`;
}

export function downloadPath(base: string, collection: CollectionConfig, id: string): string {
  return `${collectionPath(base, collection)}objects/${enc(id)}/download`;
}

export function pushPath(base: string, apiRoot: string, statusId: string): string {
  return `${base}/pushes/${enc(apiRoot)}/${enc(statusId)}/`;
}

/** `path` with the non-empty parameters as a query string. */
export function withQuery(path: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(name, value);
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

/**
 * Where to go after signing in: a console path only (never another site, whatever `next` says),
 * else the overview.
 */
export function safeNext(base: string, next: unknown): string {
  const fallback = `${base}/`;
  if (typeof next !== 'string' || next.length > 2048 || !next.startsWith(`${base}/`) || next.startsWith('//') || next.includes('\\')) return fallback;
  try {
    const url = new URL(next, 'http://console.invalid');
    if (url.origin !== 'http://console.invalid' || !url.pathname.startsWith(`${base}/`)) return fallback;
    return `${url.pathname}${url.search}`;
  } catch {
    return fallback;
  }
}
