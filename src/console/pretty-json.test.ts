import fc from 'fast-check';
import { prettyJson } from './pretty-json';

describe('prettyJson', () => {
  it('indents like JSON.stringify(…, null, 2) for compact JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const compact = JSON.stringify(value);
        expect(prettyJson(compact)).toBe(JSON.stringify(value, null, 2));
      }),
    );
  });

  it('keeps every token as written (numbers, escapes, repeated keys)', () => {
    const text = '{"a":1.50,"a":2e10,"s":"x\\"{,:}[]\\\\","u":"\\u00e9"}';
    expect(prettyJson(text)).toBe('{\n  "a": 1.50,\n  "a": 2e10,\n  "s": "x\\"{,:}[]\\\\",\n  "u": "\\u00e9"\n}');
    expect(prettyJson(text).replace(/\n\s*/g, '').replace(/": /g, '":')).toBe(text);
  });
});
