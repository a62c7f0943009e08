/**
 * What a STIX object points at: the values of its `*_ref` and `*_refs` properties, at the top
 * level and nested (e.g. in extensions or kill-chain phases), in the order they appear, once each.
 * Also its external references, of which only http(s) URLs become links: STIX content is
 * untrusted, and a `javascript:` or `data:` URL must never be clickable.
 */

const STIX_ID_RE = /^[a-z0-9][a-z0-9-]*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isStixId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 300 && STIX_ID_RE.test(value);
}

export function collectReferences(object: unknown): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [key, item] of Object.entries(value)) {
      if (key.endsWith('_ref') && isStixId(item)) found.add(item);
      else if (key.endsWith('_refs') && Array.isArray(item)) {
        for (const ref of item) if (isStixId(ref)) found.add(ref);
      } else visit(item);
    }
  };
  visit(object);
  return [...found];
}

/** The URL when it is an absolute http or https URL, else undefined. */
export function safeHttpUrl(text: unknown): string | undefined {
  if (typeof text !== 'string' || text.length > 2048) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const MAX_EXTERNAL_REFERENCES = 100;

/** The object's `external_references`, as text with a link only where the URL is http(s). */
export function externalLinks(object: unknown): Array<{ text: string; href?: string }> {
  const refs = typeof object === 'object' && object !== null ? (object as { external_references?: unknown }).external_references : undefined;
  if (!Array.isArray(refs)) return [];
  const links: Array<{ text: string; href?: string }> = [];
  for (const ref of refs.slice(0, MAX_EXTERNAL_REFERENCES)) {
    if (typeof ref !== 'object' || ref === null) continue;
    const r = ref as Record<string, unknown>;
    const parts = [r.source_name, r.external_id].filter((p): p is string => typeof p === 'string' && p !== '');
    const href = safeHttpUrl(r.url);
    const text = parts.join(' ') || (typeof r.url === 'string' ? r.url : '') || (typeof r.description === 'string' ? r.description : '');
    if (text === '') continue;
    links.push(href === undefined ? { text: text.slice(0, 500) } : { text: text.slice(0, 500), href });
  }
  return links;
}
