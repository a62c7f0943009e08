import type { Request } from 'express';
import type { ApiRootConfig } from '../config/types';
import { encodeCursor } from './cursor';
import { TaxiiError } from './errors';
import { MAX_FILTER_VALUES, parseFilters, type FilterName } from './filters';

const ROOT: ApiRootConfig = { path: 'r', title: 'R', max_content_length: 1000, default_page_size: 10, max_page_size: 50, max_objects_per_request: 100, max_page_bytes: 1 << 20 };
const ALL: FilterName[] = ['added_after', 'limit', 'next', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]'];

const parse = (query: Record<string, string | string[]>, allowed = ALL) => parseFilters({ query } as unknown as Request, ROOT, allowed);

function status400(query: Record<string, string | string[]>): string {
  try {
    parse(query);
  } catch (e) {
    expect(e).toBeInstanceOf(TaxiiError);
    expect((e as TaxiiError).status).toBe(400);
    return (e as TaxiiError).description ?? '';
  }
  throw new Error('expected 400');
}

describe('query filters', () => {
  test('defaults: last version, latest spec version, default page size', () => {
    expect(parse({})).toEqual({ limit: 10, versions: { first: false, last: true, exact: [] }, specVersions: { latest: true } });
  });

  test('added_after accepts 0 to 6 fractional digits and canonicalises', () => {
    expect(parse({ added_after: '2020-01-01T00:00:00Z' }).after).toBe('2020-01-01T00:00:00.000000Z');
    expect(parse({ added_after: '2020-01-01T00:00:00.5Z' }).after).toBe('2020-01-01T00:00:00.500000Z');
    expect(parse({ added_after: '2020-01-01T00:00:00.123456Z' }).after).toBe('2020-01-01T00:00:00.123456Z');
    expect(status400({ added_after: '2020-01-01T00:00:00.1234567Z' })).toMatch(/added_after/);
    expect(status400({ added_after: '2020-02-30T00:00:00Z' })).toMatch(/added_after/);
    expect(status400({ added_after: '2020-01-01 00:00:00' })).toMatch(/added_after/);
    expect(status400({ added_after: '2020-01-01T00:00:00+01:00' })).toMatch(/added_after/);
  });

  test('limit is clamped to the maximum; non-positive or non-integers are 400', () => {
    expect(parse({ limit: '3' }).limit).toBe(3);
    expect(parse({ limit: '5000' }).limit).toBe(50);
    for (const bad of ['0', '-1', '1.5', 'ten', '', '01', '9007199254740992', '1e3']) expect(status400({ limit: bad })).toMatch(/limit/);
    expect(parse({ limit: '9007199254740991' }).limit).toBe(50);
  });

  test('match[version] keywords, timestamps and combinations', () => {
    expect(parse({ 'match[version]': 'all' }).versions).toEqual({ all: true });
    expect(parse({ 'match[version]': 'first,last' }).versions).toEqual({ first: true, last: true, exact: [] });
    expect(parse({ 'match[version]': '2020-01-01T00:00:00Z,first' }).versions).toEqual({ first: true, last: false, exact: ['2020-01-01T00:00:00.000000Z'] });
    expect(status400({ 'match[version]': 'all,last' })).toMatch(/all/);
    expect(status400({ 'match[version]': 'last,last' })).toMatch(/repeats/);
    expect(status400({ 'match[version]': '2020-01-01T00:00:00Z,2020-01-01T00:00:00.000Z' })).toMatch(/repeats/);
    expect(status400({ 'match[version]': 'newest' })).toMatch(/match\[version\]/);
    expect(status400({ 'match[version]': 'last,' })).toMatch(/match\[version\]/);
  });

  test('match[id], match[type], match[spec_version] lists', () => {
    const id = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
    const f = parse({ 'match[id]': `${id},${id}`, 'match[type]': 'indicator,x-custom-thing', 'match[spec_version]': '2.0,2.1' });
    expect(f.ids).toEqual([id]);
    expect(f.types).toEqual(['indicator', 'x-custom-thing']);
    expect(f.specVersions).toEqual({ specVersions: ['2.0', '2.1'] });
    expect(status400({ 'match[id]': 'not-an-id' })).toMatch(/match\[id\]/);
    expect(status400({ 'match[type]': 'Indicator' })).toMatch(/match\[type\]/);
    expect(status400({ 'match[type]': '' })).toMatch(/empty/);
    expect(status400({ 'match[spec_version]': '2' })).toMatch(/spec_version/);
  });

  test('repeated parameters are 400 naming the parameter; unknown match fields are ignored', () => {
    expect(status400({ 'match[type]': ['indicator', 'malware'] })).toMatch(/match\[type\] may be given only once/);
    expect(status400({ 'match[unknown]': ['a', 'b'] })).toMatch(/match\[unknown\]/);
    expect(parse({ 'match[relationships]': 'x' }).ids).toBeUndefined();
  });

  test('an endpoint can give other defaults (DELETE: every version, every spec version)', () => {
    const deleteDefaults = { versions: { all: true as const }, specVersions: { any: true as const } };
    expect(parse({}, ['match[version]', 'match[spec_version]'].map((n) => n as FilterName)).versions).toEqual({ first: false, last: true, exact: [] });
    const f = parseFilters({ query: {} } as unknown as Request, ROOT, ['match[version]', 'match[spec_version]'], deleteDefaults);
    expect(f).toMatchObject(deleteDefaults);
    const g = parseFilters({ query: { 'match[version]': 'first', 'match[spec_version]': '2.1' } } as unknown as Request, ROOT, ['match[version]', 'match[spec_version]'], deleteDefaults);
    expect(g).toMatchObject({ versions: { first: true, last: false, exact: [] }, specVersions: { specVersions: ['2.1'] } });
  });

  test('added_after and next combine into one lower bound: the later one wins', () => {
    const early = '2024-01-01T00:00:00.000001Z';
    const late = '2024-06-01T00:00:00.000000Z';
    expect(parse({ added_after: late, next: encodeCursor(early) }).after).toBe(late);
    expect(parse({ added_after: early, next: encodeCursor(late) }).after).toBe(late);
    expect(parse({ added_after: '2024-06-01T00:00:00Z', next: encodeCursor(late) }).after).toBe(late);
    expect(parse({ next: encodeCursor(early) }).after).toBe(early);
    expect(parse({}).after).toBeUndefined();
  });

  test('next=0 means from the start; any other foreign token is 400', () => {
    expect(parse({ next: '0' }).after).toBeUndefined();
    expect(parse({ next: '0', added_after: '2024-01-01T00:00:00Z' }).after).toBe('2024-01-01T00:00:00.000000Z');
    for (const bad of ['00', '1', 'v1.', 'v2.abc']) expect(status400({ next: bad })).toMatch(/next/);
  });

  test(`at most ${MAX_FILTER_VALUES} match values in all, across parameters`, () => {
    const types = (n: number): string => Array.from({ length: n }, (_, i) => `x-type-${i}`).join(',');
    const versions = (n: number): string => Array.from({ length: n }, (_, i) => `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(6, '0')}Z`).join(',');
    expect(parse({ 'match[type]': types(MAX_FILTER_VALUES) }).types).toHaveLength(MAX_FILTER_VALUES);
    expect(status400({ 'match[type]': types(MAX_FILTER_VALUES + 1) })).toMatch(new RegExp(`match\\[type\\].*${MAX_FILTER_VALUES + 1} values.*at most ${MAX_FILTER_VALUES}`));
    expect(status400({ 'match[type]': types(300), 'match[version]': versions(201) })).toMatch(/match\[type\], match\[version\] give 501 values/);
    expect(status400({ 'match[unknown]': types(MAX_FILTER_VALUES + 1) })).toMatch(/match\[unknown\]/);
  });

  test('next is decoded; filters an endpoint does not take are ignored', () => {
    expect(parse({ next: encodeCursor('2024-01-01T00:00:00.000001Z') }).after).toBe('2024-01-01T00:00:00.000001Z');
    expect(status400({ next: 'nope' })).toMatch(/next/);
    expect(parse({ 'match[type]': 'indicator' }, ['limit']).types).toBeUndefined();
  });
});
