/**
 * STIX spec versions ("2.0", "2.1", perhaps "2.10" one day) must compare as numbers, not text,
 * to find an object's latest spec version; each version document stores this sortable rank.
 */
export function specVersionRank(specVersion: string): number {
  const match = /^(\d+)\.(\d+)$/.exec(specVersion);
  if (!match) return 0;
  return Number(match[1]) * 10_000 + Number(match[2]);
}
