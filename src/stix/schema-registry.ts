/**
 * Compiles Taxiway's STIX schemas once with ajv (draft 2020-12) and hands out one check per object type
 * and per predefined SCO extension, plus the set of properties each type defines (used by the
 * custom-property and strict-policy rules). Objects are dispatched by `type`; there is no big `oneOf`.
 *
 * Each schema is compiled twice. A gate (ajv stopping at the first error) decides validity: its cost is
 * that of a valid object, or less. Only an invalid value is checked again, by the reporting compilation
 * that lists every error, and then on a copy whose long lists are shortened: a value with a million bad
 * list items costs as much as one with twenty, and the status lists a bounded number of problems anyway.
 */
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { isIPv6 } from 'node:net';
import type { IssueCollector } from './issues';
import { reportSchemaErrors } from './schema-errors';
import { parseTimestamp } from './timestamp';
import { isValidIdentifier, identifierType } from './identifier';
import { readSchemaFiles, type SchemaFile } from './schema-files';
import { SCO_TYPES, SDO_TYPES, SRO_TYPES, isBuiltInType } from './object-kinds';

export const SCHEMA_BASE = 'https://schemas.taxiway.dev/stix/2.1/';

/**
 * Checks a value against one schema and reports its problems into the collector (paths prefixed with
 * `pathPrefix`); returns whether the value is valid.
 */
export type SchemaCheck = (value: unknown, issues: IssueCollector, pathPrefix?: string) => boolean;

export interface SchemaRegistry {
  /** Schema of a built-in type, or of `bundle`. */
  forType(type: string): SchemaCheck | undefined;
  /** Schema of a predefined SCO extension such as `ntfs-ext`. */
  forExtension(name: string): SchemaCheck | undefined;
  sdoCommon: SchemaCheck;
  scoCommon: SchemaCheck;
  stix20Common: SchemaCheck;
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

function createAjv(reporting: boolean): Ajv2020 {
  // `verbose` keeps the failing value and schema in each error, which the messages quote.
  const ajv = new Ajv2020({ allErrors: reporting, verbose: reporting, strict: true, strictTypes: false, strictRequired: false });
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

/** Lists longer than this are cut to this length in the copy an invalid value is reported from. */
const REPORTED_LIST_ITEMS = 20;

/**
 * A copy of a JSON value with every list cut to `maxItems` items, and whether anything was cut.
 * Keys are copied as data (`Object.fromEntries`), so a `__proto__` key stays a key.
 */
function shortenLists(value: unknown, maxItems: number): { value: unknown; shortened: boolean } {
  let shortened = false;
  const copy = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      if (v.length > maxItems) shortened = true;
      return v.slice(0, maxItems).map(copy);
    }
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([key, child]) => [key, copy(child)]));
    return v;
  };
  return { value: copy(value), shortened };
}

function schemaCheck(gate: ValidateFunction, report: ValidateFunction): SchemaCheck {
  return (value, issues, pathPrefix = '') => {
    if (gate(value)) return true;
    const { value: shortValue, shortened } = shortenLists(value, REPORTED_LIST_ITEMS);
    const before = issues.errors.length;
    if (!report(shortValue)) reportSchemaErrors(report.errors, issues, pathPrefix);
    // The problem lies only in the part that was cut: report the gate's first error instead.
    if (issues.errors.length === before && issues.unlistedErrors === 0) reportSchemaErrors(gate.errors, issues, pathPrefix);
    if (shortened) issues.countUnlistedErrors('more');
    return false;
  };
}

export function createSchemaRegistry(files: readonly SchemaFile[] = readSchemaFiles()): SchemaRegistry {
  const gateAjv = createAjv(false);
  const reportAjv = createAjv(true);
  const byId = new Map<string, Record<string, unknown>>();
  for (const file of files) {
    const id = SCHEMA_BASE + file.relativePath;
    byId.set(id, file.schema);
    gateAjv.addSchema(file.schema, id);
    reportAjv.addSchema(file.schema, id);
  }
  const get = (relativePath: string): SchemaCheck => {
    const gate = gateAjv.getSchema(SCHEMA_BASE + relativePath);
    const report = reportAjv.getSchema(SCHEMA_BASE + relativePath);
    if (!gate || !report) throw new Error(`schema ${relativePath} missing`);
    return schemaCheck(gate, report);
  };

  const typeValidators = new Map<string, SchemaCheck>();
  const extensionValidators = new Map<string, SchemaCheck>();
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
