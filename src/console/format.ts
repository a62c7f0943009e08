/** How figures and timestamps read on the console's pages (always UTC, never the server's locale). */

const COUNT = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** `2024-01-31T12:00:00.123456Z` → `2024-01-31 12:00:00 UTC`, with the exact value for `<time datetime>`. */
export function formatTimestamp(canonical: string): { text: string; iso: string } {
  return { text: `${canonical.slice(0, 10)} ${canonical.slice(11, 19)} UTC`, iso: canonical };
}

export function formatBytes(bytes: number): string {
  return bytes % 1048576 === 0 ? `${bytes / 1048576} MiB` : `${formatCount(bytes)} bytes`;
}

export function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
