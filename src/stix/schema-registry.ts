/**
 * Compiles Taxiway's STIX schemas once with ajv (draft 2020-12) and hands out one validate function per
 * object type and per predefined SCO extension, plus the set of properties each type defines (used by the
 * custom-property and strict-policy rules). Objects are dispatched by `type`; there is no big `oneOf`.
 */
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { isIPv6 } from 'node:net';
import { parseTimestamp } from './timestamp';
import { isValidIdentifier, identifierType } from './identifier';
import { readSchemaFiles, type SchemaFile } from './schema-files';
import { SCO_TYPES, SDO_TYPES, SRO_TYPES, isBuiltInType } from './object-kinds';

export const SCHEMA_BASE = 'https://schemas.taxiway.dev/stix/2.1/';

export type ObjectValidateFunction = ValidateFunction<unknown>;

export interface SchemaRegistry {
  /** Schema of a built-in type, or of `bundle`. */
  forType(type: string): ObjectValidateFunction | undefined;
  /** Schema of a predefined SCO extension such as `ntfs-ext`. */
  forExtension(name: string): ObjectValidateFunction | undefined;
  sdoCommon: ObjectValidateFunction;
  scoCommon: ObjectValidateFunction;
  stix20Common: ObjectValidateFunction;
  /**
   * Properties defined for a built-in type or predefined extension (including the common ones), or for
   * `@sdo-common` / `@sco-common` (what a custom object type is known to have).
   */
  knownProperties(typeOrExtension: string): ReadonlySet<string> | undefined;
}


function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `stixRefTypes`: the identifier's type prefix must be one of the listed types or categories. */
function compileReferenceCheck(allowed: readonly string[]): (data: unknown) => boolean {
  const exact = new Set(allowed.filter((t) => !t.startsWith('@')));
  const any = allowed.includes('@any');
  const sdo = allowed.includes('@sdo');
  const sro = allowed.includes('@sro');
  const sco = allowed.includes('@sco');
  return (data: unknown): boolean => {
    // Malformed identifiers are reported once, by the stix-identifier format.
    if (typeof data !== 'string' || any || !isValidIdentifier(data)) return true;
    const type = identifierType(data);
    if (exact.has(type)) return true;
    // A custom type may be an SDO or an SCO; only its producer knows, so categories accept it.
    if (!isBuiltInType(type)) return sdo || sco;
    return (sdo && SDO_TYPES.has(type)) || (sro && SRO_TYPES.has(type)) || (sco && SCO_TYPES.has(type));
  };
}

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false });
  addFormats(ajv, ['uri', 'email']);
  ajv.addFormat('stix-identifier', { type: 'string', validate: isValidIdentifier });
  ajv.addFormat('stix-timestamp', { type: 'string', validate: (s: string) => parseTimestamp(s) !== undefined });
  ajv.addFormat('stix-timestamp-millis', {
    type: 'string',
    validate: (s: string) => (parseTimestamp(s)?.fractionDigits ?? 0) >= 3,
  });
  ajv.addFormat('stix-ipv6-cidr', { type: 'string', validate: isIpv6OrCidr });
  ajv.addFormat('stix-domain-name', { type: 'string', validate: isDomainName });
  // Annotation naming the Taxiway rule a schema fragment implements (used in messages).
  ajv.addKeyword({ keyword: 'taxiwayRule', schemaType: 'string' });
  ajv.addKeyword({
    keyword: 'stixRefTypes',
    type: 'string',
    schemaType: 'array',
    compile: (allowed: string[]) => compileReferenceCheck(allowed),
    errors: false,
  });
  return ajv;
}

function isIpv6OrCidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return isIPv6(text);
  const prefix = text.slice(slash + 1);
  return isIPv6(text.slice(0, slash)) && /^(?:12[0-8]|1[01]\d|[1-9]?\d)$/.test(prefix);
}

/**
 * A structurally valid DNS name (RFC 1034 section 3.1, RFC 5890 for internationalised labels): at most
 * 253 characters, dot-separated labels of 1 to 63 characters without white space or URL punctuation.
 * Deliberately lenient about the characters inside labels: U-labels, underscores (service names) and
 * leading digits all occur in real data.
 */
function isDomainName(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253 || /[\s/:@?#[\]\\]/u.test(name)) return false;
  return name.split('.').every((label) => label.length >= 1 && label.length <= 63);
}

/** Collects `properties` names of a schema and of the schemas it includes through `allOf` + `$ref`. */
function collectProperties(schema: Record<string, unknown>, byId: ReadonlyMap<string, Record<string, unknown>>, into: Set<string>): void {
  if (isRecord(schema.properties)) for (const name of Object.keys(schema.properties)) into.add(name);
  const base = typeof schema.$id === 'string' ? schema.$id : SCHEMA_BASE;
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) {
      if (!isRecord(part)) continue;
      if (typeof part.$ref === 'string') {
        const target = byId.get(new URL(part.$ref, base).href);
        if (target) collectProperties(target, byId, into);
      } else collectProperties({ ...part, $id: base }, byId, into);
    }
  }
}

export function createSchemaRegistry(files: readonly SchemaFile[] = readSchemaFiles()): SchemaRegistry {
  const ajv = createAjv();
  const byId = new Map<string, Record<string, unknown>>();
  for (const file of files) {
    const id = SCHEMA_BASE + file.relativePath;
    byId.set(id, file.schema);
    ajv.addSchema(file.schema, id);
  }
  const get = (relativePath: string): ObjectValidateFunction => {
    const fn = ajv.getSchema(SCHEMA_BASE + relativePath);
    if (!fn) throw new Error(`schema ${relativePath} missing`);
    return fn as ObjectValidateFunction;
  };

  const typeValidators = new Map<string, ObjectValidateFunction>();
  const extensionValidators = new Map<string, ObjectValidateFunction>();
  const known = new Map<string, Set<string>>();
  for (const file of files) {
    const match = /^(sdo|sro|sco|meta)\/([a-z0-9-]+)\.json$|^(bundle)\.json$|^sco\/extensions\/([a-z0-9-]+)\.json$/.exec(file.relativePath);
    if (!match) continue;
    const name = match[2] ?? match[3] ?? match[4];
    const isType = match[2] !== undefined || match[3] !== undefined;
    // Helper schemas in sco/ (mime-part, windows-registry-value) are not object types.
    if (isType && !isBuiltInType(name)) continue;
    const props = new Set<string>();
    collectProperties(file.schema, byId, props);
    known.set(name, props);
    (isType ? typeValidators : extensionValidators).set(name, get(file.relativePath));
  }
  for (const [name, file] of [['@sdo-common', 'common/sdo-common.json'], ['@sco-common', 'common/sco-common.json']] as const) {
    const props = new Set<string>();
    const schema = byId.get(SCHEMA_BASE + file);
    if (schema) collectProperties(schema, byId, props);
    known.set(name, props);
  }
  // Compile everything now so that the first pushed object does not pay for it.
  const sdoCommon = get('common/sdo-common.json');
  const scoCommon = get('common/sco-common.json');
  const stix20Common = get('common/stix20-common.json');

  return {
    forType: (type) => typeValidators.get(type),
    forExtension: (name) => extensionValidators.get(name),
    sdoCommon,
    scoCommon,
    stix20Common,
    knownProperties: (name) => known.get(name),
  };
}
