/**
 * First, last and latest spec version: both stores keep, on each stored version, whether it is its
 * object's first version, its last, and of the highest spec version stored for it (so the listing
 * indexes can use them). All three derive from one summary of the object's versions; the
 * arithmetic lives here so the stores cannot disagree on it.
 */

/** An object's lowest and highest version and highest spec rank (see `spec-rank.ts`). */
export interface VersionSummary {
  first: string;
  last: string;
  rank: number;
}

/** The summary once a version with `rank` is added to what `before` describes (undefined: nothing yet). */
export function extendSummary<S extends VersionSummary>(before: S | undefined, version: string, rank: number): S | VersionSummary {
  if (before === undefined) return { first: version, last: version, rank };
  return {
    ...before,
    first: version < before.first ? version : before.first,
    last: version > before.last ? version : before.last,
    rank: Math.max(rank, before.rank),
  };
}

/** The flags a version with `rank` has under `summary`. */
export function flagsUnder(summary: VersionSummary, version: string, rank: number): { first: boolean; last: boolean; latestSpec: boolean } {
  return { first: version === summary.first, last: version === summary.last, latestSpec: rank === summary.rank };
}
