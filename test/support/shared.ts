/**
 * `../shared` (beside the repository) holds reference material some tests read in place: the
 * OASIS schemas and examples, and real STIX data. A user's clone does not have it, so those tests
 * skip with a visible notice when it is absent; CI sets TAXIWAY_REQUIRE_SHARED=1, and there a
 * missing folder is a failure (a silent skip would hide a broken oracle).
 */
import fs from 'node:fs';
import path from 'node:path';

export const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared');

/** Whether every listed path (relative to `../shared`) exists. */
export function sharedHas(...relativePaths: string[]): boolean {
  return relativePaths.every((p) => fs.existsSync(path.join(SHARED, p)));
}

/**
 * `describe` for tests that read `../shared`: registers `body` when the paths exist; otherwise one
 * skipped test and a notice, or (under TAXIWAY_REQUIRE_SHARED=1) one failing test.
 */
export function describeWithShared(name: string, relativePaths: readonly string[], body: () => void): void {
  if (sharedHas(...relativePaths)) {
    describe(name, body);
    return;
  }
  const missing = relativePaths.filter((p) => !sharedHas(p)).map((p) => path.join(SHARED, p));
  if (process.env.TAXIWAY_REQUIRE_SHARED === '1') {
    describe(name, () => {
      it('has its reference material', () => {
        throw new Error(`TAXIWAY_REQUIRE_SHARED=1 but ${missing.join(', ')} is absent`);
      });
    });
    return;
  }
  console.warn(`${name}: skipped, ${missing.join(', ')} is absent (set TAXIWAY_REQUIRE_SHARED=1 to make this a failure)`);
  describe.skip(name, () => it('needs ../shared', () => undefined));
}
