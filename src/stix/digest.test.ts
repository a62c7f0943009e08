import { canonicalText, contentDigest } from './digest';

const T = '2024-01-01T00:00:00.000Z';
const indicator = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'indicator', spec_version: '2.1', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', created: T, modified: T,
  pattern: "[ipv4-addr:value = '198.51.100.1']", pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z', ...extra,
});
const same = (a: Record<string, unknown>, b: Record<string, unknown>): boolean => contentDigest(a) === contentDigest(b);

describe('content digest', () => {
  it('ignores key order and white space (it works on parsed JSON)', () => {
    const a = JSON.parse('{"b": 1, "a": [1, 2]}') as Record<string, unknown>;
    const b = JSON.parse('{"a":[1,2],"b":1}') as Record<string, unknown>;
    expect(same(a, b)).toBe(true);
    expect(same({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
  });

  it('compares timestamp properties as instants at full precision', () => {
    expect(same(indicator({ valid_from: '2024-01-01T00:00:00Z' }), indicator({ valid_from: '2024-01-01T00:00:00.000000Z' }))).toBe(true);
    expect(same(indicator({ modified: '2024-01-01T00:00:00.1Z' }), indicator({ modified: '2024-01-01T00:00:00.100Z' }))).toBe(true);
    expect(same(indicator({ modified: '2024-01-01T00:00:00.0000001Z' }), indicator({ modified: '2024-01-01T00:00:00.0000002Z' }))).toBe(false);
  });

  it('compares other strings as written, even when they look like timestamps', () => {
    expect(same(indicator({ name: '2024-01-01T00:00:00Z' }), indicator({ name: '2024-01-01T00:00:00.000Z' }))).toBe(false);
    expect(same(indicator({ x_seen: '2024-01-01T00:00:00Z' }), indicator({ x_seen: '2024-01-01T00:00:00.0Z' }))).toBe(false);
  });

  it('finds timestamps in nested and predefined-extension properties', () => {
    const file = (ctime: string): Record<string, unknown> => ({
      type: 'file', spec_version: '2.1', id: 'file--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', name: 'a.exe',
      extensions: { 'windows-pebinary-ext': { pe_type: 'exe', time_date_stamp: ctime } },
    });
    expect(same(file('2024-01-01T00:00:00Z'), file('2024-01-01T00:00:00.000Z'))).toBe(true);
    const sighting = (first: string): Record<string, unknown> => ({ ...indicator(), type: 'sighting', first_seen: first });
    expect(same(sighting('2024-01-01T00:00:00Z'), sighting('2024-01-01T00:00:00.0Z'))).toBe(true);
  });

  it('treats every key as data, "__proto__" included', () => {
    const a = JSON.parse('{"x_meta":{"__proto__":{"a":1}}}') as Record<string, unknown>;
    const b = JSON.parse('{"x_meta":{"__proto__":{"a":2}}}') as Record<string, unknown>;
    expect(same(a, b)).toBe(false);
    expect(canonicalText(a)).toContain('"__proto__":{"a":1}');
  });

  it('tells numbers, strings, booleans and null apart', () => {
    expect(same({ a: 1 }, { a: '1' })).toBe(false);
    expect(same({ a: null }, { a: false })).toBe(false);
    expect(same(JSON.parse('{"a":1.0}') as Record<string, unknown>, { a: 1 })).toBe(true);
  });
});
