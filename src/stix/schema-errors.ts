/**
 * Turns ajv errors into Taxiway issues: a rule id, the JSON pointer and a message naming the value.
 * Schema fragments may carry `taxiwayRule` to name the rule they implement; otherwise the rule is derived
 * from the JSON Schema keyword. Errors inside the branches of `anyOf`/`oneOf` are dropped: the combinator
 * itself is reported once with the rule's description, which is what a producer can act on.
 */
import type { ErrorObject } from 'ajv';
import { parseTimestamp } from './timestamp';
import { identifierProblem } from './identifier';
import { childPointer, showPath, showValue, type IssueCollector, type ValidationIssue } from './issues';

/** What each combinator rule requires, phrased to follow the path. */
const COMBINATOR_TEXT: Readonly<Record<string, string>> = {
  'location-content': 'must have region, country, or both latitude and longitude',
  'malware-analysis-content': 'must have result or analysis_sco_refs',
  'observed-data-content': 'must have exactly one of objects and object_refs',
  'artifact-content': 'must not have both payload_bin and url',
  'file-content': 'must have hashes or name',
  'network-traffic-content': 'must have src_ref or dst_ref',
  'network-traffic-active-end': 'must not have end when is_active is true',
  'process-content': 'must have at least one property besides type and id',
  'x509-content': 'must have at least one property besides type and id',
  'email-multipart-content': 'must use body when is_multipart is false and body_multipart when it is true',
  'mime-part-content': 'must have body or body_raw_ref',
  'external-reference-content': 'must have description, url or external_id besides source_name',
  'granular-marking-content': 'must have exactly one of marking_ref and lang',
  'extension-properties-only-toplevel': 'must not have extension_properties unless extension_types includes toplevel-property-extension',
};

/** What a value checked by an annotated `pattern` must be, phrased to follow the path. */
const PATTERN_TEXT: Readonly<Record<string, string>> = {
  'binary-value': 'must be base64 (RFC 4648 section 4)',
  'hex-value': 'must be an even number of hex digits',
  'ipv4-value': 'must be an IPv4 address or CIDR block',
  'mac-value': 'must be a MAC address of six lower-case colon-separated octets',
  'cpe-format': 'must be a CPE 2.3 formatted string',
  'relationship-type-format': 'must be lower-case ASCII a-z, 0-9 and hyphen',
  'external-id-format': 'must match the id form of its source_name (CVE-YYYY-NNNN, CAPEC-N)',
};

const FORMAT_RULES: Readonly<Record<string, string>> = {
  'stix-identifier': 'identifier',
  'stix-timestamp': 'timestamp',
  'stix-timestamp-millis': 'timestamp',
  'stix-ipv6-cidr': 'ipv6-value',
  'stix-domain-name': 'domain-name-value',
  uri: 'url-format',
  email: 'email-format',
};

function ruleOf(error: ErrorObject): string | undefined {
  const parent = error.parentSchema;
  const annotated = parent && typeof parent.taxiwayRule === 'string' ? parent.taxiwayRule : undefined;
  return annotated;
}

function formatMessage(error: ErrorObject, path: string): { rule: string; message: string } {
  const value = error.data;
  const format = String(error.params.format);
  if (format === 'stix-identifier' && typeof value === 'string') {
    return { rule: 'identifier', message: `${showPath(path)} ${identifierProblem(value) ?? 'is not a STIX identifier'} (${showValue(value)})` };
  }
  if (format === 'stix-timestamp-millis' && typeof value === 'string' && parseTimestamp(value)) {
    return { rule: 'timestamp-precision', message: `${showPath(path)} must be precise to the millisecond, with at least 3 fractional digits (${showValue(value)})` };
  }
  if (format.startsWith('stix-timestamp')) {
    return { rule: 'timestamp', message: `${showPath(path)} must be a real RFC 3339 date and time in UTC ending in Z (${showValue(value)})` };
  }
  const rule = FORMAT_RULES[format] ?? 'value-format';
  return { rule, message: `${showPath(path)} must be a valid ${format} (${showValue(value)})` };
}

function translate(error: ErrorObject, pathPrefix: string): ValidationIssue | undefined {
  const path = pathPrefix + error.instancePath;
  const annotated = ruleOf(error);
  const value = error.data;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const missing = childPointer(path, String(params.missingProperty));
      return { rule: 'required-property', path: missing, message: `${missing} is required but missing` };
    }
    case 'dependentRequired': {
      const missing = childPointer(path, String(params.missingProperty));
      return { rule: 'dependent-property', path: missing, message: `${missing} is required when ${childPointer(path, String(params.property))} is present` };
    }
    case 'type':
      return { rule: 'property-type', path, message: `${showPath(path)} must be of type ${String(params.type)} (${showValue(value)})` };
    case 'const':
      return {
        rule: path === '/spec_version' ? 'spec-version' : 'allowed-value',
        path,
        message: `${showPath(path)} must be ${showValue(params.allowedValue)} (${showValue(value)})`,
      };
    case 'enum':
      return { rule: 'allowed-value', path, message: `${showPath(path)} must be one of ${(params.allowedValues as unknown[]).map((v) => showValue(v)).join(', ')} (${showValue(value)})` };
    case 'minimum':
    case 'maximum':
      return { rule: 'value-range', path, message: `${showPath(path)} must be ${String(params.comparison)} ${String(params.limit)} (${showValue(value)})` };
    case 'minItems':
      return { rule: 'non-empty', path, message: `${showPath(path)} must not be an empty list` };
    case 'minProperties':
      return { rule: 'non-empty', path, message: `${showPath(path)} must have at least one entry` };
    case 'format':
      return { path, ...formatMessage(error, path) };
    case 'pattern': {
      const rule = annotated ?? 'value-format';
      if (rule === 'hash-value') {
        const algorithm = path.slice(path.lastIndexOf('/') + 1);
        return { rule, path, message: `${path} is not a valid ${algorithm} value (${showValue(value)})` };
      }
      const text = PATTERN_TEXT[rule] ?? `must match ${String(params.pattern)}`;
      return { rule, path, message: `${showPath(path)} ${text} (${showValue(value)})` };
    }
    case 'propertyNames': {
      const key = String(params.propertyName);
      return { rule: 'dictionary-key', path: childPointer(path, key), message: `${showPath(path)} has an invalid key ${showValue(key)} (keys are 1-250 characters of a-z, A-Z, 0-9, - and _)` };
    }
    case 'stixRefTypes': {
      const allowed = (error.schema as string[]).map((t) => (t.startsWith('@') ? `an ${t.slice(1).toUpperCase()}` : t)).join(' or ');
      return { rule: 'reference-type', path, message: `${showPath(path)} must reference ${allowed} (${showValue(value)})` };
    }
    case 'anyOf':
    case 'oneOf':
    case 'not': {
      if (!annotated) return { rule: 'schema', path, message: `${showPath(path)} does not satisfy the ${error.keyword} constraint of its schema (${showValue(value)})` };
      return { rule: annotated, path, message: `${showPath(path)} ${COMBINATOR_TEXT[annotated] ?? 'is invalid'}` };
    }
    case 'if':
    case 'false schema':
      return undefined; // the failing branch's own errors carry the information
    default:
      return { rule: annotated ?? `schema-${error.keyword}`, path, message: `${showPath(path)} ${error.message ?? 'is invalid'} (${showValue(value)})` };
  }
}

const BRANCH = /\/(?:anyOf|oneOf)\/\d+\//;

/** True when an error comes from a branch of an anyOf/oneOf that is itself reported. */
function isInsideReportedCombinator(error: ErrorObject, combinators: readonly ErrorObject[]): boolean {
  if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || !BRANCH.test(error.schemaPath)) return false;
  return combinators.some((c) => error.instancePath.startsWith(c.instancePath));
}

/**
 * Translates ajv errors into the collector; `pathPrefix` places them inside the enclosing object
 * (e.g. an extension). Once the collector lists all it will, the remaining errors are only counted.
 */
export function reportSchemaErrors(errors: readonly ErrorObject[] | null | undefined, issues: IssueCollector, pathPrefix = ''): void {
  if (!errors || errors.length === 0) return;
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const seen = new Set<string>();
  for (const error of errors) {
    if (combinators.length > 0 && isInsideReportedCombinator(error, combinators)) continue;
    if (issues.errorsFull) {
      if (error.keyword !== 'if' && error.keyword !== 'false schema') issues.countUnlistedErrors(1);
      continue;
    }
    const issue = translate(error, pathPrefix);
    if (!issue) continue;
    const key = `${issue.rule}\u0000${issue.path}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.addError(issue);
    }
  }
}
