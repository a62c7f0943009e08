import { selectorProblem } from './markings';

const object = { name: 'a', labels: ['x', 'y'], external_references: [{ source_name: 's', url: 'u' }], 'odd.key': 1 };

describe('granular-marking selectors', () => {
  it.each(['name', 'labels', 'labels.[1]', 'external_references.[0].url', 'external_references.[0]'])('resolve %s', (selector) => {
    expect(selectorProblem(object, selector)).toBeUndefined();
  });

  it.each([
    ['description', /not in the object/],
    ['labels.[2]', /index 2 .* has 2 entries/],
    ['name.[0]', /is not a list/],
    ['external_references.[0].hashes', /not in the object/],
    ['labels.x', /not in the object/],
    ['', /empty/],
  ])('refuse %s', (selector, reason) => {
    expect(selectorProblem(object, selector)).toMatch(reason);
  });

  it('does not resolve inherited properties', () => {
    expect(selectorProblem(object, 'constructor')).toMatch(/not in the object/);
  });
});
