import { childPointer, formatIssues, showValue } from './issues';

describe('issues', () => {
  it('escapes JSON pointer tokens (RFC 6901)', () => {
    expect(childPointer('/extensions', 'a/b~c')).toBe('/extensions/a~1b~0c');
    expect(childPointer('', 0)).toBe('/0');
  });

  it('shows values briefly', () => {
    expect(showValue('x')).toBe('"x"');
    expect(showValue(5)).toBe('5');
    expect(showValue(undefined)).toBe('undefined');
    expect(showValue('y'.repeat(200))).toHaveLength(80);
  });

  it('formats several issues of one object on one line', () => {
    expect(formatIssues([
      { rule: 'a', path: '/x', message: '/x is wrong' },
      { rule: 'b', path: '', message: 'the object is wrong' },
    ])).toBe('[a] /x is wrong; [b] the object is wrong');
    expect(formatIssues([])).toBe('');
  });
});
