/** Deeper nesting than any STIX object needs; refusing it keeps recursion-based code (ajv, the digest) safe. */
export const MAX_NESTING_DEPTH = 64;

/** Whether a JSON value nests deeper than `limit` levels, computed without recursion. */
export function exceedsDepth(value: unknown, limit: number): boolean {
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
