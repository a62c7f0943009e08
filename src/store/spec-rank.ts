/**
 * STIX spec versions ("2.0", "2.1", one day "2.10") compared as major.minor numbers, not strings.
 * Both stores keep this rank with each version, so "latest spec version of an object" is a plain
 * maximum; one function, so the stores cannot disagree.
 */
const ranks = new Map<string, number>();

export function specVersionRank(specVersion: string): number {
  const known = ranks.get(specVersion);
  if (known !== undefined) return known;
  const match = /^(\d+)\.(\d+)$/.exec(specVersion);
  if (!match) throw new TypeError(`not a STIX spec version: ${specVersion}`);
  const rank = Number(match[1]) * 1_000_000 + Number(match[2]);
  // Only valid spec versions are remembered, and there are a handful of them.
  if (ranks.size < 64) ranks.set(specVersion, rank);
  return rank;
}
