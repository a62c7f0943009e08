/**
 * The exact GET requests of the read scenarios. They are derived once from a Taxiway run (positions
 * come from its manifest) and replayed unchanged against the bare server, whose recordings are keyed
 * by these very paths.
 */
import { objectsPath } from './config';
import type { ManifestPositions } from './walk';

export type FilterKey = 'type' | 'ids' | 'versionAll' | 'addedAfter';

export interface ReadPlan {
  /** `GET objects?limit=100`: the 64-connection scenario and the shallow end of the depth ratio. */
  firstPage: string;
  /** The same page size, 90 % of the way through, reached with added_after. */
  deepPage: string;
  filters: { key: FilterKey; label: string; path: string }[];
}

export const PAGE_SIZE = 100;
export const DEEP_FRACTION = 0.9;
export const MIDDLE_FRACTION = 0.5;
export const ID_COUNT = 100;

export function buildPlan(positions: ManifestPositions): ReadPlan {
  const base = `${objectsPath()}?limit=${PAGE_SIZE}`;
  const at = (fraction: number): string => {
    const date = positions.addedAfter.get(fraction);
    if (date === undefined) throw new Error(`no date_added found ${fraction * 100} % through the manifest`);
    return date;
  };
  return {
    firstPage: base,
    deepPage: `${base}&added_after=${at(DEEP_FRACTION)}`,
    filters: [
      { key: 'type', label: 'match[type]=indicator', path: `${base}&match[type]=indicator` },
      { key: 'ids', label: `match[id] with ${positions.ids.length} ids`, path: `${base}&match[id]=${positions.ids.join(',')}` },
      { key: 'versionAll', label: 'match[version]=all', path: `${base}&match[version]=all` },
      { key: 'addedAfter', label: 'added_after (50 % through)', path: `${base}&added_after=${at(MIDDLE_FRACTION)}` },
    ],
  };
}
