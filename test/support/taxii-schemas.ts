import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import type { Response } from 'supertest';

export type TaxiiResource = 'discovery' | 'api-root' | 'collections' | 'collection' | 'error' | 'envelope' | 'manifest' | 'versions' | 'status';

const dir = path.join(__dirname, '..', '..', 'schemas', 'taxii');
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  ajv.addSchema(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as object);
}
const validators = new Map<string, ValidateFunction>();

function validatorFor(resource: TaxiiResource): ValidateFunction {
  let v = validators.get(resource);
  if (!v) {
    v = ajv.getSchema(`https://taxiway.dev/schemas/taxii/${resource}.json`);
    if (!v) throw new Error(`no schema for ${resource}`);
    validators.set(resource, v);
  }
  return v;
}

/** Problems of a body against a TAXII resource schema, plus the rules JSON Schema cannot state. */
export function taxiiProblems(resource: TaxiiResource, body: unknown): string[] {
  const validate = validatorFor(resource);
  const problems = validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
  if (resource === 'status' && typeof body === 'object' && body !== null) {
    const s = body as Record<string, unknown>;
    const count = (k: string): number => (typeof s[k] === 'number' ? (s[k] as number) : NaN);
    if (count('success_count') + count('failure_count') + count('pending_count') !== count('total_count')) problems.push('counts do not add up to total_count');
    for (const [list, counter] of [['successes', 'success_count'], ['failures', 'failure_count'], ['pendings', 'pending_count']] as const) {
      const n = Array.isArray(s[list]) ? (s[list] as unknown[]).length : 0;
      if (n !== count(counter)) problems.push(`${list} has ${n} entries but ${counter} is ${count(counter)}`);
    }
  }
  return problems;
}

/** Asserts a supertest response is a well-formed TAXII resource with the TAXII media type. */
export function expectTaxii(res: Response, resource: TaxiiResource, status?: number): void {
  if (status !== undefined && res.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
  }
  expect(res.headers['content-type']).toBe('application/taxii+json;version=2.1');
  const problems = taxiiProblems(resource, JSON.parse(res.text || '{}'));
  if (problems.length > 0) throw new Error(`response is not a valid ${resource}: ${problems.join('; ')}\n${res.text.slice(0, 500)}`);
  if (resource === 'error') expect((JSON.parse(res.text) as { http_status: string }).http_status).toBe(String(res.status));
}
