/** Each rule of the catalog against Taxiway's own fixtures: valid objects pass, invalid ones fail by that rule. */
import { createStixValidator, type ValidationResult } from '../../src/stix/validator';
import { RULES } from '../../src/stix/rule-catalog';
import { RULE_CASES } from './fixtures';

const validator = createStixValidator();

describe('rule fixtures', () => {
  it('cover every rule of the catalog with a valid and an invalid object', () => {
    const covered = new Set(RULE_CASES.filter((c) => c.valid.length > 0 && c.invalid.length > 0).map((c) => c.rule));
    expect(RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
    expect(RULE_CASES.map((c) => c.rule).filter((id) => !RULES.some((r) => r.id === id))).toEqual([]);
  });

  describe.each(RULE_CASES.map((c) => [c.rule, c] as const))('%s', (rule, ruleCase) => {
    const description = RULES.find((r) => r.id === rule);
    const options = { policy: ruleCase.policy ?? 'standard', acceptStix20: ruleCase.acceptStix20 ?? false } as const;
    const issuesOf = (result: ValidationResult) => (description?.severity === 'warning' ? result.warnings : result.errors);

    it.each(ruleCase.valid.map((o, i) => [i, o] as const))('accepts valid fixture %i', (_i, object) => {
      const result = validator.validate(object, options);
      // A spec-version fixture without spec_version is valid only where 2.0 is accepted.
      const lenient = rule === 'spec-version' && object.spec_version === undefined && object.created !== undefined;
      const checked = lenient ? validator.validate(object, { ...options, acceptStix20: true }) : result;
      expect(checked.errors).toEqual([]);
      expect(issuesOf(checked).filter((issue) => issue.rule === rule)).toEqual([]);
    });

    it.each(ruleCase.invalid.map((o, i) => [i, o] as const))('reports invalid fixture %i', (_i, object) => {
      const result = validator.validate(object, options);
      const found = issuesOf(result).filter((issue) => issue.rule === rule);
      expect(found.length).toBeGreaterThan(0);
      if (description?.severity === 'warning') expect(result.valid).toBe(true);
      else expect(result.valid).toBe(false);
      for (const issue of found) expect(issue.message.length).toBeGreaterThan(10);
    });
  });
});
