import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import type { Express } from 'express';
import request from 'supertest';
import { parse } from 'yaml';
import { Metrics } from '../../src/metrics/metrics';
import { IDS, makeTestApp, PASSWORDS, TAXII, testConfigObject, type TestApp } from '../support/app';

/**
 * schemas/openapi.yaml: a well-formed OpenAPI 3.1 document (checked as far as is cheap without
 * an OpenAPI library), and in step with the Express routes of buildApp(): the same paths with the
 * same methods, each reachable, answering with statuses, headers and bodies the document lists.
 * scripts/schemathesis.sh tests the document in depth against a live server.
 */

type Obj = Record<string, unknown>;

const ROOT = path.join(__dirname, '..', '..');
const DOC_PATH = path.join(ROOT, 'schemas', 'openapi.yaml');
const doc = parse(readFileSync(DOC_PATH, 'utf8'), { strict: true, uniqueKeys: true, prettyErrors: true }) as Obj;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const PATH_ITEM_KEYS = new Set<string>(['$ref', 'summary', 'description', 'servers', 'parameters', ...HTTP_METHODS]);
const TOP_LEVEL_KEYS = new Set(['openapi', 'info', 'jsonSchemaDialect', 'servers', 'paths', 'webhooks', 'components', 'security', 'tags', 'externalDocs']);
const OPERATION_KEYS = new Set(['tags', 'summary', 'description', 'externalDocs', 'operationId', 'parameters', 'requestBody', 'responses', 'callbacks', 'deprecated', 'security', 'servers']);
const STATUS_KEY = /^([1-5][0-9]{2}|[1-5]XX|default)$/;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown, where: string): Obj {
  if (!isObj(v)) throw new Error(`${where} is not an object`);
  return v;
}

/** The value a local `#/...` JSON pointer names, or undefined. */
function pointer(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObj(node) && !Array.isArray(node)) return undefined;
    node = (node as Obj)[key];
    if (node === undefined) return undefined;
  }
  return node;
}

/** Follows `$ref`s (components may refer to components). */
function deref(v: unknown, where: string): Obj {
  let node = obj(v, where);
  for (let hops = 0; typeof node.$ref === 'string'; hops++) {
    if (hops > 10) throw new Error(`${where}: $ref loop`);
    node = obj(pointer(node.$ref), `${where} -> ${node.$ref}`);
  }
  return node;
}

interface Operation {
  path: string;
  method: (typeof HTTP_METHODS)[number];
  op: Obj;
  parameters: Obj[];
}

const paths = obj(doc.paths, 'paths');
const operations: Operation[] = Object.entries(paths).flatMap(([p, item]) => {
  const pathItem = obj(item, p);
  const shared = ((pathItem.parameters as unknown[]) ?? []).map((x, i) => deref(x, `${p} parameters[${i}]`));
  return HTTP_METHODS.filter((m) => pathItem[m] !== undefined).map((method) => {
    const op = obj(pathItem[method], `${method} ${p}`);
    const own = ((op.parameters as unknown[]) ?? []).map((x, i) => deref(x, `${method} ${p} parameters[${i}]`));
    // Operation parameters override path-level ones with the same name and location.
    const parameters = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)), ...own];
    return { path: p, method, op, parameters };
  });
});

/** Every `$ref` in the document, with where it is. */
function refs(node: unknown, where: string, out: [string, string][] = []): [string, string][] {
  if (Array.isArray(node)) node.forEach((v, i) => refs(v, `${where}/${i}`, out));
  else if (isObj(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push([where, v]);
      else refs(v, `${where}/${k}`, out);
    }
  }
  return out;
}

// Component schemas compiled with Ajv (JSON Schema 2020-12, OpenAPI 3.1's dialect), strictly, so a
// misspelt keyword fails here. `#/components/schemas/X` becomes `#/$defs/X` of one bundle schema.
const SCHEMAS_ID = 'https://taxiway.dev/schemas/openapi-components.json';
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
const componentSchemas = obj(obj(doc.components, 'components').schemas, 'components.schemas');
ajv.addSchema(
  JSON.parse(JSON.stringify({ $id: SCHEMAS_ID, $defs: componentSchemas }).replace(/"#\/components\/schemas\//g, '"#/$defs/')) as Obj,
);

/** A validator for a schema as written in the document (inline, or a `$ref` to a component). */
function validatorFor(schema: unknown): ValidateFunction {
  const text = JSON.stringify(schema).replace(/"#\/components\/schemas\/([^"]+)"/g, `"${SCHEMAS_ID}#/$defs/$1"`);
  return ajv.compile(JSON.parse(text) as Obj);
}

function problems(validate: ValidateFunction, value: unknown): string {
  return validate(value) ? '' : ajv.errorsText(validate.errors);
}

describe('schemas/openapi.yaml is a well-formed OpenAPI 3.1 document', () => {
  test('top level: version, info, paths, components; nothing unknown', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    const info = obj(doc.info, 'info');
    expect(typeof info.title).toBe('string');
    expect(typeof info.version).toBe('string');
    for (const key of Object.keys(doc)) {
      if (!key.startsWith('x-')) expect(TOP_LEVEL_KEYS).toContain(key);
    }
    expect(Object.keys(paths).length).toBeGreaterThan(0);
  });

  test('every $ref is local and resolves', () => {
    const bad = refs(doc, '#').filter(([, ref]) => pointer(ref) === undefined);
    expect(bad).toEqual([]);
  });

  test('paths end in a slash, and their templates match their required path parameters', () => {
    for (const [p, item] of Object.entries(paths)) {
      expect(p).toMatch(/^\/.*\/$/);
      for (const key of Object.keys(obj(item, p))) {
        if (!key.startsWith('x-')) expect(PATH_ITEM_KEYS).toContain(key);
      }
    }
    for (const { path: p, method, parameters } of operations) {
      const template = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = parameters.filter((x) => x.in === 'path');
      expect([`${method} ${p}`, declared.map((x) => x.name).sort()]).toEqual([`${method} ${p}`, template]);
      for (const x of declared) expect([`${method} ${p} ${String(x.name)}`, x.required]).toEqual([`${method} ${p} ${String(x.name)}`, true]);
    }
  });

  test('operations: unique ids, known keys, unique parameters, declared tags and security schemes', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = new Set(((doc.tags as Obj[]) ?? []).map((t) => t.name));
    const schemes = obj(obj(doc.components, 'components').securitySchemes, 'components.securitySchemes');
    for (const [name, scheme] of Object.entries(schemes)) {
      expect([name, ['http', 'apiKey', 'oauth2', 'openIdConnect', 'mutualTLS']]).toEqual([name, expect.arrayContaining([obj(scheme, name).type])]);
    }
    const requirements = [...((doc.security as Obj[]) ?? []), ...operations.flatMap((o) => (o.op.security as Obj[]) ?? [])];
    for (const requirement of requirements) {
      for (const name of Object.keys(requirement)) expect(Object.keys(schemes)).toContain(name);
    }
    for (const { path: p, method, op, parameters } of operations) {
      const label = `${method} ${p}`;
      for (const key of Object.keys(op)) {
        if (!key.startsWith('x-')) expect([label, OPERATION_KEYS.has(key)]).toEqual([label, true]);
      }
      for (const tag of (op.tags as string[]) ?? []) expect(tags).toContain(tag);
      const keys = parameters.map((x) => `${String(x.in)}:${String(x.name)}`);
      expect([label, new Set(keys).size]).toEqual([label, keys.length]);
      for (const x of parameters) {
        expect(['query', 'header', 'path', 'cookie']).toContain(x.in);
        expect(x.schema ?? x.content).toBeDefined();
      }
    }
  });

  test('responses: status keys, descriptions, schemas for every body; the TAXII media type except for metrics', () => {
    const mediaTypes = new Set<string>();
    for (const { path: p, method, op } of operations) {
      const responses = obj(op.responses, `${method} ${p} responses`);
      expect(Object.keys(responses).length).toBeGreaterThan(0);
      for (const [status, r] of Object.entries(responses)) {
        const label = `${method} ${p} ${status}`;
        expect([label, STATUS_KEY.test(status)]).toEqual([label, true]);
        const response = deref(r, label);
        expect([label, typeof response.description]).toEqual([label, 'string']);
        for (const [type, media] of Object.entries((response.content as Obj) ?? {})) {
          if (!(p === '/_metrics/' && status === '200')) mediaTypes.add(type);
          expect([label, obj(media, label).schema]).not.toEqual([label, undefined]);
        }
      }
      const body = op.requestBody === undefined ? undefined : deref(op.requestBody, `${method} ${p} requestBody`);
      for (const type of Object.keys((body?.content as Obj) ?? {})) mediaTypes.add(type);
    }
    expect([...mediaTypes]).toEqual([TAXII]);
  });

  test('every component schema compiles (strict JSON Schema 2020-12)', () => {
    for (const name of Object.keys(componentSchemas)) {
      expect(() => validatorFor({ $ref: `#/components/schemas/${name}` })).not.toThrow();
    }
  });

  test('examples are valid against their schemas', () => {
    let checked = 0;
    const check = (label: string, schema: unknown, value: unknown): void => {
      expect([label, problems(validatorFor(schema), value)]).toEqual([label, '']);
      checked++;
    };
    for (const [name, p] of Object.entries(obj(obj(doc.components, 'components').parameters, 'components.parameters'))) {
      const parameter = obj(p, name);
      if (parameter.example !== undefined) check(`parameter ${name}`, parameter.schema, parameter.example);
    }
    for (const [name, h] of Object.entries(obj(obj(doc.components, 'components').headers, 'components.headers'))) {
      const header = obj(h, name);
      if (header.example !== undefined) check(`header ${name}`, header.schema, header.example);
    }
    for (const { path: p, method, op } of operations) {
      if (op.requestBody === undefined) continue;
      for (const [type, m] of Object.entries(deref(op.requestBody, 'requestBody').content as Obj)) {
        const media = obj(m, type);
        for (const [name, e] of Object.entries((media.examples as Obj) ?? {})) check(`${method} ${p} example ${name}`, media.schema, obj(e, name).value);
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  test('resource schemas agree with schemas/taxii/*.json on properties and required ones', () => {
    const files: Record<string, string> = {
      Discovery: 'discovery',
      ApiRoot: 'api-root',
      Collections: 'collections',
      Collection: 'collection',
      Envelope: 'envelope',
      Manifest: 'manifest',
      Versions: 'versions',
      Status: 'status',
      Error: 'error',
    };
    for (const [component, file] of Object.entries(files)) {
      const json = JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'taxii', `${file}.json`), 'utf8')) as Obj;
      const mine = obj(componentSchemas[component], component);
      const shape = (s: Obj): unknown => ({ properties: Object.keys(obj(s.properties, 'properties')).sort(), required: [...((s.required as string[]) ?? [])].sort(), closed: s.additionalProperties === false });
      expect([component, shape(mine)]).toEqual([component, shape(json)]);
    }
  });
});

interface Route {
  path: string;
  methods: string[];
}

interface StackLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: StackLayer[] };
  rawPath?: unknown;
}

/** The routes of an Express 5 app, from its router stack (nested routers included). */
function expressRoutes(app: Express): Route[] {
  const walk = (stack: StackLayer[], prefix: string): Route[] =>
    stack.flatMap((layer) => {
      if (layer.route) {
        return [{ path: prefix + layer.route.path, methods: Object.keys(layer.route.methods).filter((m) => m !== '_all').sort() }];
      }
      if (layer.handle?.stack) {
        if (typeof layer.rawPath !== 'string') throw new Error('a router is mounted on something other than a path string');
        return walk(layer.handle.stack, prefix + (layer.rawPath === '/' ? '' : layer.rawPath));
      }
      return [];
    });
  const router = (app as unknown as { router?: { stack?: StackLayer[] } }).router;
  if (!router?.stack) throw new Error('app.router.stack is missing: has Express changed how it exposes its router?');
  return walk(router.stack, '');
}

/** `/:root/collections/:collection/` and `/{apiRoot}/collections/{collectionId}/` both become `/{}/collections/{}/`. */
const shapeOf = (p: string): string => p.replace(/:[A-Za-z0-9_]+/g, '{}').replace(/\{[^}]+\}/g, '{}');

const INDICATOR = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';

describe('schemas/openapi.yaml is in step with the Express routes', () => {
  let t: TestApp;
  let statusId = '';
  beforeAll(async () => {
    // The document describes the default deployment, where no collection is anonymously readable.
    // /_metrics/ is routed only with metrics enabled (and no separate metrics port).
    const config = testConfigObject({ metrics: { enabled: true } });
    config.collections = (config.collections as Obj[]).filter((c) => c.id !== IDS.anon);
    t = await makeTestApp({ config, app: { metrics: new Metrics({ processMetrics: false }) } });
    const pushed = await request(t.app)
      .post(`/api1/collections/${IDS.rw}/objects/`)
      .set('Accept', TAXII)
      .set('Content-Type', TAXII)
      .auth('alice', PASSWORDS.alice)
      .send(JSON.stringify(addObjectsExample()));
    expect(pushed.status).toBe(202);
    statusId = (JSON.parse(pushed.text) as { id: string }).id;
  });
  afterAll(() => t.close());

  function addObjectsExample(): unknown {
    const op = operations.find((o) => o.op.operationId === 'addObjects');
    const content = deref(op?.op.requestBody, 'addObjects requestBody').content as Obj;
    return obj(obj(obj(content[TAXII], TAXII).examples, 'examples').envelope, 'envelope').value;
  }

  function concrete(p: string): string {
    const values: Record<string, string> = { apiRoot: 'api1', collectionId: IDS.rw, objectId: INDICATOR, statusId };
    return p.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      if (values[name] === undefined) throw new Error(`no test value for path parameter {${name}}`);
      return values[name];
    });
  }

  test('every route is documented with the same methods, and every documented path and method is a route', () => {
    const routes = expressRoutes(t.app);
    expect(routes.length).toBeGreaterThan(5);
    const fromApp = Object.fromEntries(routes.map((r) => [shapeOf(r.path), r.methods]));
    expect(routes.length).toBe(Object.keys(fromApp).length);
    const fromDoc: Record<string, string[]> = {};
    for (const { path: p, method } of operations) (fromDoc[shapeOf(p)] ??= []).push(method);
    for (const methods of Object.values(fromDoc)) methods.sort();
    // HEAD is served by Express for every GET and described in the document's text, not as an operation.
    expect(fromDoc).toEqual(fromApp);
  });

  test('documented paths answer the methods they do not list with 405 and the Allow header', async () => {
    for (const [p, item] of Object.entries(paths)) {
      const listed = HTTP_METHODS.filter((m) => obj(item, p)[m] !== undefined).map((m) => m.toUpperCase());
      const allow = ['GET', 'HEAD', ...listed.filter((m) => m !== 'GET')].join(', ');
      for (const method of ['put', 'post', 'delete', 'patch', 'options'] as const) {
        if (listed.includes(method.toUpperCase())) continue;
        const res = await request(t.app)[method](concrete(p)).set('Accept', TAXII).auth('alice', PASSWORDS.alice);
        expect([method, p, res.status, res.headers.allow]).toEqual([method, p, 405, allow]);
        expect(res.headers['content-type']).toBe(TAXII);
      }
    }
  });

  /** Checks a response against what the document says for this operation and status. */
  function expectDocumented(o: Operation, res: request.Response): void {
    const label = `${o.method.toUpperCase()} ${o.path} -> ${res.status}`;
    expect(res.text).not.toMatch(/There is no TAXII resource at/);
    const responses = obj(o.op.responses, label);
    expect([label, Object.keys(responses)]).toEqual([label, expect.arrayContaining([String(res.status)])]);
    const documented = deref(responses[String(res.status)], label);
    const content = documented.content as Obj | undefined;
    const type = content === undefined ? TAXII : Object.keys(content)[0];
    expect([label, res.headers['content-type']]).toEqual([label, type]);
    for (const [name, h] of Object.entries((documented.headers as Obj) ?? {})) {
      const header = deref(h, `${label} header ${name}`);
      const value = res.headers[name.toLowerCase()] as string | undefined;
      if (header.required === true) expect([label, name, value]).not.toEqual([label, name, undefined]);
      if (value !== undefined) {
        const schema = obj(header.schema, name);
        const typed = schema.type === 'integer' ? Number(value) : value;
        expect([label, name, problems(validatorFor(schema), typed)]).toEqual([label, name, '']);
      }
    }
    if (content === undefined) {
      expect([label, res.text]).toEqual([label, '']);
    } else {
      const schema = obj(content[type], label).schema;
      const body: unknown = type === TAXII ? JSON.parse(res.text) : res.text;
      expect([label, problems(validatorFor(schema), body)]).toEqual([label, '']);
    }
  }

  test('every documented operation reaches its route and answers as documented, signed in and anonymous', async () => {
    // DELETE last: it removes the object the other operations read.
    const ordered = [...operations].sort((a, b) => Number(a.method === 'delete') - Number(b.method === 'delete'));
    for (const o of ordered) {
      const url = concrete(o.path);
      // Needs credentials unless one of its security alternatives is empty (/_health/, and
      // /_metrics/ from the loopback address supertest uses).
      const requirements = (o.op.security as Obj[] | undefined) ?? (doc.security as Obj[]);
      const secured = requirements.length > 0 && requirements.every((r) => Object.keys(r).length > 0);
      const anonymous = await request(t.app)[o.method](url).set('Accept', TAXII);
      expectDocumented(o, anonymous);
      expect([o.path, anonymous.status]).toEqual([o.path, secured ? 401 : 200]);

      let signedIn = request(t.app)[o.method](url).set('Accept', TAXII).auth('alice', PASSWORDS.alice);
      if (o.method === 'post') signedIn = signedIn.set('Content-Type', TAXII).send(JSON.stringify(addObjectsExample()));
      const res = await signedIn;
      expectDocumented(o, res);
      expect([o.method, o.path, res.status]).toEqual([o.method, o.path, o.method === 'post' ? 202 : 200]);
    }
  });

  test('malformed and refused requests answer with documented errors', async () => {
    const rw = `/api1/collections/${IDS.rw}`;
    // [operationId, method, URL, expected status, request headers, body]
    const cases: [string, 'get' | 'post', string, number, Record<string, string>, string?][] = [
      ['getObjects', 'get', `${rw}/objects/?limit=0`, 400, {}],
      ['getObjects', 'get', `${rw}/objects/?added_after=2024-02-30T00:00:00Z`, 400, {}],
      ['getObjects', 'get', `${rw}/objects/?next=nonsense`, 400, {}],
      ['getObjects', 'get', `${rw}/objects/?limit=1&limit=2`, 400, {}],
      ['getObjects', 'get', `/api1/collections/${IDS.wo}/objects/`, 403, {}],
      ['getObjects', 'get', `${rw}/objects/`, 406, { Accept: 'text/html' }],
      ['addObjects', 'post', `${rw}/objects/`, 415, { 'Content-Type': 'application/json' }, '{}'],
      ['addObjects', 'post', `${rw}/objects/`, 422, { 'Content-Type': TAXII }, '{"objects": []}'],
      ['addObjects', 'post', `${rw}/objects/`, 400, { 'Content-Type': TAXII }, '{"objects": ['],
      ['addObjects', 'post', `${rw}/objects/`, 413, { 'Content-Type': TAXII }, JSON.stringify({ objects: [{}], pad: 'x'.repeat(20000) })],
      ['getCollection', 'get', `/api1/collections/${IDS.none}/`, 404, {}],
      ['getStatus', 'get', '/api1/status/00000000-0000-4000-8000-000000000000/', 404, {}],
    ];
    for (const [id, method, url, status, headers, body] of cases) {
      const o = operations.find((x) => x.op.operationId === id) as Operation;
      let pending = request(t.app)[method](url).set({ Accept: TAXII, ...headers }).auth('alice', PASSWORDS.alice);
      if (body !== undefined) pending = pending.send(body);
      const res = await pending;
      expect([method, url, res.status]).toEqual([method, url, status]);
      expectDocumented(o, res);
    }
  });
});
