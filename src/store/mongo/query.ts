import type { Filter } from 'mongodb';
import type { ObjectQuery, SpecVersionSelection, VersionSelection } from '../store';
import { INDEX, type VersionDocument } from './schema';

/**
 * Translates the store's typed queries into MongoDB filters and picks the index that serves each
 * one. Every index used for listing ends in `dateAdded`, so the sort and the keyset range are an
 * index range scan after the equality prefix.
 */

export type VersionFilter = Filter<VersionDocument>;

export function versionSelectionFilter(versions: VersionSelection): VersionFilter {
  if (versions.all) return {};
  const alternatives: VersionFilter[] = [];
  if (versions.first) alternatives.push({ isFirst: true });
  if (versions.last) alternatives.push({ isLast: true });
  if (versions.exact.length > 0) alternatives.push({ version: { $in: [...versions.exact] } });
  if (alternatives.length === 0) return { version: { $in: [] } };
  if (alternatives.length === 1) return alternatives[0];
  return { $or: alternatives };
}

export function specVersionFilter(specVersions: SpecVersionSelection): VersionFilter {
  if (specVersions.any) return {};
  if (specVersions.latest) return { isLatestSpec: true };
  return { specVersion: { $in: [...specVersions.specVersions] } };
}

/** Strictly after the later of `addedAfter` and the page cursor, and at most the watermark. */
export function dateAddedRange(after: readonly (string | undefined)[], upTo: string): VersionFilter {
  const lower = after.filter((value): value is string => value !== undefined).sort().at(-1);
  return { dateAdded: lower === undefined ? { $lte: upTo } : { $gt: lower, $lte: upTo } };
}

export function objectQueryFilter(query: ObjectQuery, afterDateAdded: string | undefined, upTo: string): VersionFilter {
  const filter: VersionFilter = { collectionId: query.collectionId };
  if (query.ids !== undefined) filter.objectId = { $in: [...query.ids] };
  if (query.types !== undefined) filter.type = { $in: [...query.types] };
  return {
    ...filter,
    ...dateAddedRange([query.addedAfter, afterDateAdded], upTo),
    ...versionSelectionFilter(query.versions),
    ...specVersionFilter(query.specVersions),
  };
}

/**
 * The index for a listing query: the most selective equality prefix the query has. match[id]
 * names few objects; match[type] usually a small share; `last`/`first` alone (the TAXII default)
 * use their flag indexes; anything else walks the collection's date_added keyset.
 */
export function indexForQuery(query: ObjectQuery): string {
  if (query.ids !== undefined) return INDEX.byObjectId;
  if (query.types !== undefined) return INDEX.byType;
  const versions = query.versions;
  if (!versions.all && versions.exact.length === 0) {
    if (versions.last && !versions.first) return INDEX.lastVersions;
    if (versions.first && !versions.last) return INDEX.firstVersions;
  }
  return INDEX.byDateAdded;
}
