/**
 * Property-based hostile tests (fast-check), on both stores: random and malformed query strings for
 * every filter, header variants, and random or pathological bodies. Every answer must be a correct
 * success or a 4xx TAXII error resource, the server must keep answering, and no value sent may
 * widen what a query returns. Each property prints its seed; replay one with
 * TAXIWAY_FC_SEED=<seed> (and TAXIWAY_FC_PATH=<path> to jump to the failing case).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { IDS, storeKinds, testConfigObject } from '../support/app';
import { envelope, indicator, malware } from '../support/stix';
import { taxiiProblems, type TaxiiResource } from '../support/taxii-schemas';
import { liveApp, send, type LiveApp, type Reply } from './harness';

const objectsPath = `/api1/collections/${IDS.rw}/objects/`;

/** fast-check parameters: a fixed seed when replaying, fewer runs on the slower MongoDB test server. */
function runs(storeKind: string, numRuns: number): fc.Parameters<unknown> {
  const seed = process.env.TAXIWAY_FC_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.TAXIWAY_FC_SEED);
  const path = process.env.TAXIWAY_FC_PATH;
  console.info(`fast-check seed ${seed} (replay with TAXIWAY_FC_SEED=${seed})`);
  return { seed, path, numRuns: storeKind === 'sqlite' ? numRuns : Math.ceil(numRuns / 4), endOnFailure: true };
}

/** A reply is a success of the expected resource, or a 4xx TAXII error whose http_status matches. */
function checkReply(reply: Reply, success: TaxiiResource, okStatuses: readonly number[]): void {
  expect(reply.headers['content-type']).toBe('application/taxii+json;version=2.1');
  const text = reply.body.toString('utf8');
  const body: unknown = text === '' ? {} : JSON.parse(text);
  if (okStatuses.includes(reply.status)) {
    expect(taxiiProblems(success, body)).toEqual([]);
    return;
  }
  expect(reply.status).toBeGreaterThanOrEqual(400);
  expect(reply.status).toBeLessThan(500);
  expect(taxiiProblems('error', body)).toEqual([]);
  expect((body as { http_status: string }).http_status).toBe(String(reply.status));
}

/** Values an attacker would try in a query parameter. */
const hostileValue = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom(
    "indicator' OR '1'='1", 'indicator"; DROP TABLE objects; --', '{"$gt":""}', '$where', '__proto__', 'constructor', '%00', '\u0000', '..', '../..',
    'indicator,', ',', '', 'first,first', 'all,last', '2024-13-01T00:00:00Z', '9999-12-31T23:59:59.999999Z', '0', '-1', '1e9', 'NaN', 'v1.AAAA',
    'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f OR 1=1', "x' UNION SELECT json FROM objects --", 'a'.repeat(300),
  ),
);

const paramName = fc.constantFrom(
  'added_after', 'limit', 'next', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]', 'match[unknown]', 'match[]', 'match[type][]',
  'limit[]', 'match', '__proto__', 'constructor', 'match[__proto__]',
);

describe.each(storeKinds())('%s store', (storeKind) => {
  let app: LiveApp;
  const seededTypes = new Map<string, string>();
  beforeAll(async () => {
    app = await liveApp({ storeKind, config: testConfigObject() });
    const objects = [indicator(), indicator(), malware(), malware({ modified: '2024-02-01T00:00:00.000Z' })];
    for (const o of objects) seededTypes.set(o.id as string, o.type as string);
    expect((await send(app.port, 'POST', objectsPath, { user: 'alice', body: JSON.stringify(envelope(...objects)) })).status).toBe(202);
  });
  afterAll(() => app.close());

  async function stillServing(): Promise<void> {
    expect((await send(app.port, 'GET', '/_health/')).status).toBe(200);
  }

  it('answers any query string on every paged endpoint with a success or a 4xx TAXII error, and never widens a filter', async () => {
    const endpoints: Array<[string, TaxiiResource]> = [
      [objectsPath, 'envelope'],
      [objectsPath.replace('objects/', 'manifest/'), 'manifest'],
      [`${objectsPath}${[...seededTypes.keys()][0]}/`, 'envelope'],
      [`${objectsPath}${[...seededTypes.keys()][0]}/versions/`, 'versions'],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints), fc.array(fc.tuple(paramName, hostileValue), { maxLength: 5 }), fc.boolean(), async ([path, resource], params, raw) => {
        // Raw: only what HTTP cannot carry is escaped, so brackets, quotes, commas and '&' reach the parser as sent.
        const rawly = (text: string): string => text.replace(/[^\x21-\x7e]|#/gu, (c) => encodeURIComponent(c));
        const query = params.map(([name, value]) => `${raw ? rawly(name) : encodeURIComponent(name)}=${raw ? rawly(value) : encodeURIComponent(value)}`).join('&');
        const reply = await send(app.port, 'GET', `${path}?${query}`, { user: 'alice' });
        checkReply(reply, resource, [200]);
        if (reply.status === 200 && resource === 'envelope') {
          const objects = ((JSON.parse(reply.body.toString('utf8')) as { objects?: Array<{ id: string; type: string }> }).objects ?? []);
          // Whatever was sent, every object returned is one that exists and matches the filters that were accepted.
          for (const o of objects) expect(seededTypes.get(o.id)).toBe(o.type);
          // The list endpoint takes match[id] and match[type]; the single-object ones ignore them.
          const types = new URLSearchParams(query).get('match[type]');
          const ids = new URLSearchParams(query).get('match[id]');
          if (path === objectsPath && types !== null) for (const o of objects) expect(types.split(',')).toContain(o.type);
          if (path === objectsPath && ids !== null) for (const o of objects) expect(ids.split(',')).toContain(o.id);
        }
      }),
      runs(storeKind, 150),
    );
    await stillServing();
  }, 180_000);

  it('answers any Accept, Content-Type and Authorization header with a success or a 4xx TAXII error', async () => {
    const header = fc.oneof(
      fc.string({ maxLength: 80 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, '')),
      fc.constantFrom('application/taxii+json;version=2.1', 'application/taxii+json;version=3.0', 'application/json', '*/*', 'text/html', 'application/taxii+json;q=0', 'application/*;q=0.1', ';;;', 'application/taxii+json;version="2.1"'),
    );
    const auth = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, '')),
      fc.constantFrom('Basic', 'Basic ', 'Basic ====', `Basic ${Buffer.from('alice').toString('base64')}`, `Basic ${Buffer.from(':').toString('base64')}`, 'Bearer', 'Bearer x', 'Token ', 'Digest x', `basic ${Buffer.from('alice:wrong').toString('base64')}`),
    );
    await fc.assert(
      fc.asyncProperty(header, header, auth, fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS'), async (accept, contentType, authorization, method) => {
        const headers: Record<string, string> = { Accept: accept, 'Content-Type': contentType };
        if (authorization !== undefined) headers.Authorization = authorization;
        const reply = await send(app.port, method, objectsPath, { headers, body: method === 'POST' ? JSON.stringify(envelope(indicator())) : undefined });
        if (reply.status === 200) checkReply(reply, 'envelope', [200]);
        else if (reply.status === 202) checkReply(reply, 'status', [202]);
        else checkReply(reply, 'error', []);
      }),
      runs(storeKind, 150),
    );
    await stillServing();
  }, 180_000);

  it('answers any body with a status or a 4xx TAXII error, and keeps answering', async () => {
    const deep = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const body = fc.oneof(
      fc.json({ maxDepth: 4 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ objects: Array.isArray(v) ? v : [v] })),
      fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 1, maxLength: 5 }).map((items) => JSON.stringify({ objects: items.map((v) => ({ ...indicator(), x_value: v })) })),
      fc.integer({ min: 60, max: 5000 }).map((d) => `{"objects":[{"type":"indicator","x":${deep(d)}}]}`),
      fc.integer({ min: 1, max: 200_000 }).map((n) => JSON.stringify(envelope({ ...indicator(), name: 'n'.repeat(n) }))),
      fc.constantFrom(
        `{"objects":[${JSON.stringify(indicator())}],"objects":[]}`,
        `{"objects":[{"type":"indicator","type":"malware","id":"malware--${randomUUID()}"}]}`,
        `{"__proto__":{"objects":[1]},"objects":[${JSON.stringify({ ...indicator(), x_p: { __proto__: 1 } })}]}`,
        '{"objects":[{"__proto__":{"type":"indicator"}}]}',
        '{"constructor":{"prototype":{"polluted":true}},"objects":[1]}',
      ),
      fc.json().map((text) => text.slice(0, Math.max(1, Math.floor(text.length / 2)))),
    );
    const bytes = fc.oneof(
      body.map((text) => Buffer.from(text, 'utf8')),
      fc.uint8Array({ maxLength: 200 }).map((u) => Buffer.concat([Buffer.from('{"objects":["'), Buffer.from(u), Buffer.from('"]}')])),
      fc.constant(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (payload) => {
        const reply = await send(app.port, 'POST', objectsPath, { user: 'alice', body: payload });
        checkReply(reply, 'status', [202]);
      }),
      runs(storeKind, 120),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await stillServing();
  }, 240_000);
});
