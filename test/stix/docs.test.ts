/** docs/validation.md must document every rule the validator can report. */
import fs from 'node:fs';
import path from 'node:path';
import { RULES } from '../../src/stix/rule-catalog';

describe('docs/validation.md', () => {
  const text = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'validation.md'), 'utf8');

  it('has a row for every rule, with its requirement and severity', () => {
    const missing = RULES.filter((rule) => !text.includes(`| \`${rule.id}\` | ${rule.summary} | ${rule.requirement} | ${rule.severity} | ${rule.source} | ${rule.section} |`));
    expect(missing.map((r) => r.id)).toEqual([]);
  });

  it('describes the three policies', () => {
    for (const policy of ['strict', 'standard', 'permissive']) expect(text).toContain(`| \`${policy}\``);
  });
});
