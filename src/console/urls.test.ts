import { safeNext, withQuery } from './urls';

describe('console URLs', () => {
  it('follows `next` only to console paths', () => {
    expect(safeNext('/_console', '/_console/collections/a/b/?type=x')).toBe('/_console/collections/a/b/?type=x');
    for (const bad of ['https://evil.example/', '//evil.example/_console/', '/_console/../admin', '/_console\\evil', '/other', '/_consoleX/', undefined, 42]) {
      expect(safeNext('/_console', bad)).toBe('/_console/');
    }
  });

  it('leaves empty parameters out of query strings', () => {
    expect(withQuery('/p', { a: 'x y', b: '', c: undefined })).toBe('/p?a=x+y');
    expect(withQuery('/p', {})).toBe('/p');
  });
});
