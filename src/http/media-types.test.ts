import { acceptsTaxii, isTaxiiContentType } from './media-types';

describe('Accept negotiation', () => {
  test.each([
    ['application/taxii+json;version=2.1', true],
    ['application/taxii+json; version=2.1', true],
    ['application/taxii+json', true],
    ['APPLICATION/TAXII+JSON;VERSION=2.1', true],
    ['application/vnd.oasis.taxii+json;version=2.1', true],
    ['application/json, application/taxii+json;version=2.1;q=0.9', true],
    ['application/taxii+json;version=2.1,application/stix+json;version=2.1', true],
    ['application/json, text/plain, */*', true],
    ['application/*', true],
    ['*/*;q=0.1', true],
    [undefined, true],
    ['', true],
    ['application/taxii+json;version=2.0', false],
    ['application/taxii+json;version=2.1;q=0', false],
    ['application/json', false],
    ['application/stix+json;version=2.1', false],
    ['text/html, application/xml;q=0.9', false],
    ['garbage', false],
  ])('%s → %s', (accept, ok) => {
    expect(acceptsTaxii(accept)).toBe(ok);
  });

  test.each([
    ['application/taxii+json;version=2.1', true],
    ['application/taxii+json', true],
    ['application/taxii+json; charset=utf-8; version=2.1', true],
    ['application/json', false],
    ['application/taxii+json;version=2.0', false],
    [undefined, false],
  ])('Content-Type %s → %s', (ct, ok) => {
    expect(isTaxiiContentType(ct)).toBe(ok);
  });
});
