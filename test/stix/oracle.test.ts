/**
 * Oracle tests against the material in `../shared` (beside the repository): the corpus and the OASIS
 * examples through both Taxiway's validator and the OASIS schemas, and the OASIS validator's negative
 * files with the verdicts their SOURCE.txt gives. Skipped, with a visible message, when `../shared` is absent
 * (a failure under TAXIWAY_REQUIRE_SHARED=1, as in CI).
 * The corpus is about 16 MB / 12,300 objects, so every object is checked (no sampling); this takes a few seconds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { EXIT_UNREADABLE, runValidate } from '../../src/cli/validate';
import { createStixValidator, type ValidationOptions } from '../../src/stix/validator';
import { describeWithShared, SHARED } from '../support/shared';
import { createOasisOracle, loadCorpus } from './oasis-oracle';
import { compareWithOracle, divergenceKey, documentedDivergences } from './oracle-divergences';

const ORACLE_MATERIAL = ['oasis/stix2.1-json-schemas', 'oasis/invalid', 'corpus'];
const standard: ValidationOptions = { policy: 'standard', acceptStix20: false };

describeWithShared('oracle: Taxiway vs the OASIS schemas on the corpus', ORACLE_MATERIAL, () => {
  it('disagrees exactly where docs/validation.md documents a divergence', () => {
    const objects = loadCorpus();
    expect(objects.length).toBeGreaterThan(10000);
    const outcome = compareWithOracle(objects, createStixValidator(), createOasisOracle());
    const found = outcome.divergences.map(divergenceKey);
    const documented = documentedDivergences().map(divergenceKey).sort((a, b) => a.localeCompare(b));
    expect(found).toEqual(documented);
  });
});

describeWithShared('oracle: the OASIS validator negative files (oasis/invalid, verdicts from SOURCE.txt)', ORACLE_MATERIAL, () => {
  const validator = createStixValidator();
  const dir = path.join(SHARED, 'oasis', 'invalid');
  const read = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');
  const parse = (name: string): Record<string, unknown> => JSON.parse(read(name)) as Record<string, unknown>;

  it.each(['invalid_braces.json', 'invalid_comma.json'])('%s is not JSON at all: taxiway validate exits 2', async (name) => {
    const out = new PassThrough();
    out.resume();
    expect(await runValidate([path.join(dir, name)], { json: false, policy: 'standard', acceptStix20: false }, out)).toBe(EXIT_UNREADABLE);
  });

  it('invalid_identity.json fails for the missing modified', () => {
    const result = validator.validate(parse('invalid_identity.json'), standard);
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([expect.objectContaining({ rule: 'required-property', path: '/modified' })]);
  });

  it('invalid_timestamp.json passes the OASIS schema but fails modified >= created', () => {
    const object = parse('invalid_timestamp.json');
    expect(createOasisOracle().isValid(object)).toBe(true);
    const result = validator.validate(object, standard);
    expect(result.errors).toEqual([expect.objectContaining({ rule: 'modified-not-before-created', path: '/modified' })]);
  });

  it('identity_custom.json is valid, with a warning about the custom property "foo"', () => {
    const [identity] = parse('identity_custom.json').objects as Record<string, unknown>[];
    const result = validator.validate(identity, standard);
    expect(result.valid).toBe(true);
    expect(result.warnings).toEqual([expect.objectContaining({ rule: 'custom-property-prefix', message: expect.stringContaining('/foo') as unknown })]);
  });

  it.each(['identity.json', 'identity_unicode.json'])('%s is a valid control', (name) => {
    expect(validator.validate(parse(name), standard)).toMatchObject({ valid: true, errors: [], warnings: [] });
  });

  it('using-tlp2.0-green.json: no bundle type, a month 101 timestamp, UUIDv1 ids', () => {
    const wrapper = parse('using-tlp2.0-green.json');
    expect(validator.validate(wrapper, standard).errors).toEqual([expect.objectContaining({ rule: 'required-property', path: '/type' })]);
    const [identity, threatActor, relationship] = (wrapper.objects as Record<string, unknown>[]).map((o) => validator.validate(o, standard));
    expect(identity).toMatchObject({ valid: true, warnings: [expect.objectContaining({ rule: 'uuid-version-recommended' })] });
    expect(threatActor).toMatchObject({ valid: true, warnings: [] });
    expect(relationship.valid).toBe(false);
    expect(relationship.errors).toEqual([expect.objectContaining({ rule: 'timestamp', path: '/created' })]);
    expect(relationship.warnings).toEqual([expect.objectContaining({ rule: 'uuid-version-recommended' })]);
  });
});
