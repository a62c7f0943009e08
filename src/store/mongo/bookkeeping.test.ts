/** The flag arithmetic of the MongoDB bookkeeping, without a database. */
import { FlagCorrections, flagsOf, summarize, type VersionFacts } from './bookkeeping';

function stored(version: string, specVersionRank: number, flags: [boolean, boolean, boolean]): VersionFacts {
  const [isFirst, isLast, isLatestSpec] = flags;
  return { _id: version, objectId: 'o', version, specVersionRank, digest: 'd', dateAdded: 'x', owner: null, isFirst, isLast, isLatestSpec };
}

describe('summaries and flags', () => {
  it('summarises the lowest and highest version and the highest spec rank', () => {
    expect(summarize([])).toBeUndefined();
    expect(summarize([stored('b', 2_000_001, [true, true, true]), stored('a', 2_000_000, [false, false, false]), stored('c', 2_000_000, [false, false, false])])).toEqual({
      first: 'a',
      last: 'c',
      rank: 2_000_001,
    });
  });

  it('derives each version’s flags from the summary', () => {
    const summary = { first: 'a', last: 'c', rank: 2_000_001 };
    expect(flagsOf(summary, { version: 'a', specVersionRank: 2_000_001 })).toEqual({ isFirst: true, isLast: false, isLatestSpec: true });
    expect(flagsOf(summary, { version: 'c', specVersionRank: 2_000_000 })).toEqual({ isFirst: false, isLast: true, isLatestSpec: false });
  });
});

describe('flag corrections', () => {
  it('touches only versions whose flags are wrong, one statement per distinct set of flags', () => {
    const corrections = new FlagCorrections();
    // Object one gains a newer 2.1 version "d": "c" loses last, and the 2.0 versions lose latest-spec.
    const summary = { first: 'a', last: 'd', rank: 2_000_001 };
    corrections.add(summary, [stored('a', 2_000_000, [true, false, true]), stored('b', 2_000_000, [false, false, true]), stored('c', 2_000_001, [false, true, true])]);
    // Object two is already right.
    corrections.add({ first: 'x', last: 'x', rank: 2_000_001 }, [stored('x', 2_000_001, [true, true, true])]);
    expect(corrections.size).toBe(3);
    expect(corrections.operations()).toEqual(
      expect.arrayContaining([
        { updateMany: { filter: { _id: { $in: ['a'] } }, update: { $set: { isFirst: true, isLast: false, isLatestSpec: false } }, hint: '_id_' } },
        { updateMany: { filter: { _id: { $in: ['b'] } }, update: { $set: { isFirst: false, isLast: false, isLatestSpec: false } }, hint: '_id_' } },
        { updateMany: { filter: { _id: { $in: ['c'] } }, update: { $set: { isFirst: false, isLast: false, isLatestSpec: true } }, hint: '_id_' } },
      ]),
    );
  });

  it('groups many versions into one statement', () => {
    const corrections = new FlagCorrections();
    const versions = Array.from({ length: 500 }, (_, i) => stored(`v${String(i).padStart(3, '0')}`, 2_000_001, [false, false, false]));
    corrections.add({ first: 'v000', last: 'v499', rank: 2_000_001 }, versions);
    const statements = corrections.operations();
    expect(statements).toHaveLength(3);
    expect(statements.map((statement) => ('updateMany' in statement ? (statement.updateMany.filter._id as { $in: string[] }).$in.length : 0)).sort((a, b) => a - b)).toEqual([1, 1, 498]);
  });
});
