import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import configSchema from '../../schemas/config/taxiway.schema.json';

let compiled: ValidateFunction | undefined;

/** The config schema compiled once, reporting every error and filling in defaults. */
export function configValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true });
    compiled = ajv.compile(configSchema);
  }
  return compiled;
}

/** A readable reason for one ajv error. */
export function describeSchemaError(e: ErrorObject): string {
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown key '${String(e.params.additionalProperty)}' (check the spelling)`;
    case 'required':
      return `missing required key '${String(e.params.missingProperty)}'`;
    case 'enum':
      return `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `must be ${String(e.params.type)}`;
    case 'pattern':
      return `has an invalid format (must match ${String(e.params.pattern)})`;
    default:
      return e.message ?? e.keyword;
  }
}

/** Path segments of an ajv instancePath, pointing at an unknown key itself when there is one. */
export function errorPath(e: ErrorObject): (string | number)[] {
  const segments = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  if (e.keyword === 'additionalProperties') segments.push(String(e.params.additionalProperty));
  return segments;
}
