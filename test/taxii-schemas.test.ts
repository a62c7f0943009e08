import { taxiiProblems, type TaxiiResource } from './support/taxii-schemas';

/** Each TAXII resource schema must accept correct bodies and reject the deviations that broke real clients. */
const cases: [TaxiiResource, unknown, boolean, string][] = [
  ['discovery', { title: 'T', api_roots: ['/a/'], default: '/a/' }, true, 'relative roots'],
  ['discovery', { title: 'T', api_roots: ['https://x.example/a/'] }, true, 'absolute https root'],
  ['discovery', { title: 'T', api_roots: [] }, false, 'an empty list'],
  ['discovery', { title: 'T', api_roots: ['//evil/a/'] }, false, 'a root beginning with //'],
  ['discovery', { title: 'T', api_roots: ['../a/'] }, false, 'a root beginning with ../'],
  ['discovery', { title: 'T', api_roots: ['/a/?x=1'] }, false, 'a root with a query'],
  ['discovery', { api_roots: ['/a/'] }, false, 'no title'],
  ['discovery', { title: 'T', default: '/a/' }, false, 'a default without api_roots'],
  ['api-root', { title: 'A', versions: ['application/taxii+json;version=2.1'], max_content_length: 10 }, true, 'full media types'],
  ['api-root', { title: 'A', versions: ['2.1'], max_content_length: 10 }, false, 'versions: ["2.1"]'],
  ['api-root', { title: 'A', versions: ['application/taxii+json'], max_content_length: 10 }, false, 'versions without the 2.1 parameter'],
  ['api-root', { title: 'A', versions: ['application/taxii+json;version=2.1'] }, false, 'no max_content_length'],
  ['api-root', { title: 'A', versions: ['application/taxii+json;version=2.1'], max_content_length: 0 }, false, 'max_content_length 0'],
  ['collections', {}, true, 'no collections'],
  ['collections', { collections: [] }, false, 'an empty list'],
  ['collection', { id: '11111111-1111-4111-8111-111111111111', title: 'C', can_read: true, can_write: false }, true, 'minimal'],
  ['collection', { id: '11111111-1111-4111-8111-111111111111', title: 'C', can_read: null, can_write: false }, false, 'can_read null'],
  ['collection', { id: 'c1', title: 'C', can_read: true, can_write: false }, false, 'a non-UUID id'],
  ['error', { title: 'Not found', http_status: '404' }, true, 'string status'],
  ['error', { title: 'Not found', http_status: 404 }, false, 'a numeric http_status'],
  ['error', { description: 'x', http_status: '404' }, false, 'no title'],
  ['envelope', {}, true, 'empty envelope'],
  ['envelope', { more: false, objects: [{ type: 'indicator', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }] }, true, 'objects'],
  ['envelope', { items: [{ type: 'indicator', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }] }, false, 'items instead of objects'],
  ['envelope', { objects: [] }, false, 'an empty objects list'],
  ['envelope', { more: true, objects: [{ type: 'indicator', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }] }, false, 'more: true without next'],
  ['manifest', { objects: [{ id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', date_added: '2024-01-01T00:00:00.000000Z', version: '2024-01-01T00:00:00.000Z', media_type: 'application/stix+json;version=2.1' }] }, true, 'a record'],
  ['manifest', { objects: [{ id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', date_added: '2024-01-01T00:00:00Z', version: '2024-01-01T00:00:00.000Z' }] }, false, 'date_added without microseconds'],
  ['manifest', { objects: [{ id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', date_added: 'undefined', version: '2024-01-01T00:00:00.000Z' }] }, false, 'a placeholder date'],
  ['versions', { versions: ['2024-01-01T00:00:00.000Z'] }, true, 'versions'],
  ['versions', { versions: [] }, false, 'an empty list'],
  ['versions', { more: true, versions: ['2024-01-01T00:00:00.000Z'] }, false, 'more without next'],
  ['status', { id: '11111111-1111-4111-8111-111111111111', status: 'complete', total_count: 1, success_count: 1, successes: [{ id: 'x--1', version: 'v' }], failure_count: 0, pending_count: 0 }, true, 'consistent'],
  ['status', { id: '11111111-1111-4111-8111-111111111111', status: 'complete', total_count: 2, success_count: 1, failure_count: 0, pending_count: 0 }, false, 'counts that do not add up'],
  ['status', { id: '11111111-1111-4111-8111-111111111111', status: 'complete', total_count: 2, success_count: 2, successes: [{ id: 'x--1', version: 'v' }], failure_count: 0, pending_count: 0 }, false, 'a truncated successes list'],
  ['status', { id: '11111111-1111-4111-8111-111111111111', status: 'complete', total_count: 0, success_count: 0, successes: [], failure_count: 0, pending_count: 0 }, false, 'an empty list'],
  ['status', { id: '11111111-1111-4111-8111-111111111111', status: 'done', total_count: 0, success_count: 0, failure_count: 0, pending_count: 0 }, false, 'an unknown status'],
];

describe('TAXII resource schemas', () => {
  test.each(cases)('%s: %j → valid=%s (%s)', (resource, body, valid) => {
    expect(taxiiProblems(resource, body).length === 0).toBe(valid);
  });
});
