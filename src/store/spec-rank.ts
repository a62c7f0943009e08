/**
 * STIX spec versions ("2.0", "2.1", one day "2.10") compared as major.minor numbers, not strings.
 * Both stores keep this rank with each version, so "latest spec version of an object" is a plain
 * maximum; one function, so the stores cannot disagree.
 */
export function specVersionRank(specVersion: string): number {
  const match = /^(\d+)\.(\d+)$/.exec(specVersion);
  if (!match) throw new TypeError(`not a STIX spec version: ${specVersion}`);
  return Number(match[1]) * 1_000_000 + Number(match[2]);
}
