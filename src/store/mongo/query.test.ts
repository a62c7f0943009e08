/**
 * Filters and index choice of the MongoDB store for every query shape, without a database: the
 * store-conformance suite checks what the filters select against a server, this pins down what
 * is sent (and so which index serves it).
 */
import type { ObjectQuery, PageRequest } from '../store';
import { batchSizeFor, dateAddedRange, indexForQuery, objectQueryFilter, objectVersionsFilter, ObjectSizeEstimate, specVersionFilter, versionSelectionFilter } from './query';
import { INDEX } from './schema';

const LAST = { first: false, last: true, exact: [] } as const;
const FIRST = { first: true, last: false, exact: [] } as const;
const UP_TO = '2024-06-01T00:00:00.000000Z';
const AFTER = '2024-01-01T00:00:00.000000Z';

function query(overrides: Partial<ObjectQuery> = {}): ObjectQuery {
  return { collectionId: 'c', versions: LAST, specVersions: { latest: true }, ...overrides };
}

describe('version selection', () => {
  it.each([
    ['all', { all: true } as const, {}],
    ['last', LAST, { isLast: true }],
    ['first', FIRST, { isFirst: true }],
    ['one exact version', { first: false, last: false, exact: ['v1'] }, { version: { $in: ['v1'] } }],
    ['first and last', { first: true, last: true, exact: [] }, { $or: [{ isFirst: true }, { isLast: true }] }],
    ['last or exact', { first: false, last: true, exact: ['v1', 'v2'] }, { $or: [{ isLast: true }, { version: { $in: ['v1', 'v2'] } }] }],
    ['nothing', { first: false, last: false, exact: [] }, { version: { $in: [] } }],
  ])('%s', (_title, selection, expected) => {
    expect(versionSelectionFilter(selection)).toEqual(expected);
  });
});

describe('spec version selection', () => {
  it.each([
    ['latest', { latest: true } as const, { isLatestSpec: true }],
    ['any', { any: true } as const, {}],
    ['listed', { specVersions: ['2.0', '2.1'] }, { specVersion: { $in: ['2.0', '2.1'] } }],
    ['none listed', { specVersions: [] }, { specVersion: { $in: [] } }],
  ])('%s', (_title, selection, expected) => {
    expect(specVersionFilter(selection)).toEqual(expected);
  });
});

describe('date_added range', () => {
  it('is bounded by the watermark, and strictly after `after` when given', () => {
    expect(dateAddedRange(undefined, UP_TO)).toEqual({ dateAdded: { $lte: UP_TO } });
    expect(dateAddedRange(AFTER, UP_TO)).toEqual({ dateAdded: { $gt: AFTER, $lte: UP_TO } });
  });
});

describe('listing queries: filter and index', () => {
  it.each<[string, Partial<ObjectQuery>, Record<string, unknown>, string]>([
    ['the TAXII default (last, latest spec)', {}, { isLast: true, isLatestSpec: true }, INDEX.lastVersions],
    ['first', { versions: FIRST }, { isFirst: true, isLatestSpec: true }, INDEX.firstVersions],
    ['all versions, any spec', { versions: { all: true }, specVersions: { any: true } }, {}, INDEX.byDateAdded],
    ['first and last', { versions: { first: true, last: true, exact: [] } }, { $or: [{ isFirst: true }, { isLast: true }], isLatestSpec: true }, INDEX.byDateAdded],
    ['last or exact', { versions: { first: false, last: true, exact: ['v1'] } }, { $or: [{ isLast: true }, { version: { $in: ['v1'] } }], isLatestSpec: true }, INDEX.byDateAdded],
    ['exact versions', { versions: { first: false, last: false, exact: ['v1'] }, specVersions: { any: true } }, { version: { $in: ['v1'] } }, INDEX.byDateAdded],
    ['last in listed specs', { specVersions: { specVersions: ['2.0'] } }, { isLast: true, specVersion: { $in: ['2.0'] } }, INDEX.lastVersions],
    ['ids', { ids: ['a', 'b'] }, { objectId: { $in: ['a', 'b'] }, isLast: true, isLatestSpec: true }, INDEX.byObjectId],
    ['types', { types: ['malware'], versions: { all: true } }, { type: { $in: ['malware'] }, isLatestSpec: true }, INDEX.byType],
    [
      'ids and types (ids win: fewer entries)',
      { ids: ['a'], types: ['malware'], versions: { all: true }, specVersions: { any: true } },
      { objectId: { $in: ['a'] }, type: { $in: ['malware'] } },
      INDEX.byObjectId,
    ],
    ['first with types', { types: ['tool'], versions: FIRST }, { type: { $in: ['tool'] }, isFirst: true, isLatestSpec: true }, INDEX.byType],
  ])('%s', (_title, overrides, selection, index) => {
    const q = query(overrides);
    expect(objectQueryFilter(q, UP_TO)).toEqual({ collectionId: 'c', dateAdded: { $lte: UP_TO }, ...selection });
    expect(objectQueryFilter({ ...q, after: AFTER }, UP_TO)).toEqual({ collectionId: 'c', dateAdded: { $gt: AFTER, $lte: UP_TO }, ...selection });
    expect(indexForQuery(q)).toBe(index);
  });

  it('copies the caller arrays (a later change to the query cannot alter a filter)', () => {
    const ids = ['a'];
    const filter = objectQueryFilter(query({ ids }), UP_TO);
    ids.push('b');
    expect(filter.objectId).toEqual({ $in: ['a'] });
  });
});

describe('delete selection', () => {
  it('selects versions of one object', () => {
    expect(objectVersionsFilter('c', 'indicator--1', { all: true }, { any: true })).toEqual({ collectionId: 'c', objectId: 'indicator--1' });
    expect(objectVersionsFilter('c', 'indicator--1', FIRST, { specVersions: ['2.1'] })).toEqual({
      collectionId: 'c',
      objectId: 'indicator--1',
      isFirst: true,
      specVersion: { $in: ['2.1'] },
    });
  });
});

describe('batch sizes', () => {
  const page = (limit: number, maxBytes?: number): PageRequest => ({ limit, maxBytes });

  it('asks for the whole page plus one when bytes do not limit it', () => {
    expect(batchSizeFor(page(100), 2048)).toBe(101);
  });

  it('asks for about what the byte budget holds, never more than the page', () => {
    expect(batchSizeFor(page(1000, 10 * 1024 * 1024), 1024)).toBe(1001);
    expect(batchSizeFor(page(1000, 10 * 1024 * 1024), 1024 * 1024)).toBe(11);
    expect(batchSizeFor(page(1000, 10), 2048)).toBe(2);
  });

  it('follows the sizes of the objects served', () => {
    const estimate = new ObjectSizeEstimate();
    for (let i = 0; i < 20; i++) estimate.record(10 * 1_000_000, 10);
    expect(estimate.average).toBeGreaterThan(900_000);
    estimate.record(0, 0);
    expect(estimate.average).toBeGreaterThan(900_000);
  });
});
