/**
 * Taxiway's STIX validator: JSON Schemas (one per type, `schemas/stix/`) for structure, and the rules in
 * `rules/` for what a schema cannot express. `validate` is what the server runs on every pushed object
 * and what `taxiway validate` runs offline.
 */
import { IssueCollector, formatIssues, showValue, type Unlisted, type ValidationIssue } from './issues';
import { classifyObject, isBuiltInType, isScoKind } from './object-kinds';
import type { ValidationPolicy } from './policy';
import { createSchemaRegistry, type SchemaRegistry } from './schema-registry';
import { MAX_NESTING_DEPTH, exceedsDepth } from './nesting';
import { isRecord, readDeclaredExtensions, type RuleContext } from './rules/context';
import { checkIdentifierRules } from './rules/identifiers';
import { checkTimestampOrder } from './rules/timestamp-order';
import { checkCustomProperties, checkCustomType } from './rules/custom-content';
import { checkMarkings } from './rules/markings';
import { checkHashNames } from './rules/hashes';
import { checkLanguageTags } from './rules/language';
import { checkExtensions } from './rules/extensions';
import { checkIndicatorPattern } from './rules/pattern';
import { checkDeprecatedProperties } from './rules/deprecated';

export type { Unlisted, ValidationIssue } from './issues';
export type { ValidationPolicy } from './policy';
export { formatIssues };

export interface ValidationOptions {
  policy: ValidationPolicy;
  /** The collection's media types include application/stix+json;version=2.0. */
  acceptStix20: boolean;
}

export interface ValidationResult {
  valid: boolean;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
  /** '2.1', or '2.0' for an SDO/SRO/meta object without spec_version. */
  specVersion: string;
  /** Errors found beyond those listed (absent when every error is listed); see `formatIssues`. */
  unlisted?: Unlisted;
}

export interface StixValidator {
  validate(object: unknown, options: ValidationOptions): ValidationResult;
}

const STIX20_MEDIA_TYPE = 'application/stix+json;version=2.0';

function result(issues: IssueCollector, specVersion: string): ValidationResult {
  const outcome: ValidationResult = { valid: issues.errors.length === 0, errors: issues.errors, warnings: issues.warnings, specVersion };
  if (issues.unlistedErrors !== 0) outcome.unlisted = issues.unlistedErrors;
  return outcome;
}

class Validator implements StixValidator {
  constructor(private readonly registry: SchemaRegistry) {}

  validate(object: unknown, options: ValidationOptions): ValidationResult {
    const issues = new IssueCollector();
    if (!isRecord(object)) {
      issues.error('json-object', '', `the object must be a JSON object (${showValue(object)})`);
      return result(issues, '2.1');
    }
    // Deeper than any STIX object needs; refused before anything else walks it.
    if (exceedsDepth(object, MAX_NESTING_DEPTH)) {
      issues.error('nesting-depth', '', `the object nests deeper than ${MAX_NESTING_DEPTH} levels`);
      return result(issues, '2.1');
    }
    const type = object.type;
    if (typeof type !== 'string') {
      if (type === undefined) issues.error('required-property', '/type', '/type is required but missing');
      else issues.error('property-type', '/type', `/type must be of type string (${showValue(type)})`);
      return result(issues, '2.1');
    }
    const declared = readDeclaredExtensions(object.extensions);
    const kind = classifyObject(type, object, declared.newObjectType);
    const ctx: RuleContext = {
      object, type, kind, policy: options.policy, checkShoulds: options.policy !== 'permissive', declared, registry: this.registry, issues,
    };
    if (!checkCustomType(ctx)) return result(issues, '2.1');

    const specVersion = object.spec_version;
    const isStix20 = !isScoKind(kind) && kind !== 'bundle' && (specVersion === undefined || specVersion === '2.0');
    if (isStix20) return this.validateStix20(ctx, options.acceptStix20);

    if (kind === 'bundle') {
      this.registry.forType('bundle')?.(object, issues);
      checkIdentifierRules(ctx);
      return result(issues, '2.1');
    }

    const own = this.registry.forType(type);
    (own ?? (isScoKind(kind) ? this.registry.scoCommon : this.registry.sdoCommon))(object, issues);
    const known = this.registry.knownProperties(isBuiltInType(type) ? type : isScoKind(kind) ? '@sco-common' : '@sdo-common');
    if (known) checkCustomProperties(ctx, known);
    checkIdentifierRules(ctx);
    checkTimestampOrder(ctx);
    checkMarkings(ctx);
    checkLanguageTags(ctx);
    checkExtensions(ctx);
    checkHashNames(ctx);
    checkIndicatorPattern(ctx);
    checkDeprecatedProperties(ctx);
    return result(issues, '2.1');
  }

  /** An SDO/SRO/meta object without spec_version is STIX 2.0 (STIX 2.1 section 3.2, spec_version). */
  private validateStix20(ctx: RuleContext, acceptStix20: boolean): ValidationResult {
    const { object, issues } = ctx;
    if (!acceptStix20) {
      const what = object.spec_version === undefined ? 'has no spec_version, so it is a STIX 2.0 object' : 'is a STIX 2.0 object';
      issues.error('spec-version', '/spec_version', `/spec_version: this ${ctx.type} ${what}, accepted only by collections whose media types include ${STIX20_MEDIA_TYPE}; add "spec_version": "2.1" if it is STIX 2.1`);
      return result(issues, '2.0');
    }
    this.registry.stix20Common(object, issues);
    checkIdentifierRules({ ...ctx, checkShoulds: false });
    checkTimestampOrder(ctx);
    return result(issues, '2.0');
  }
}

/** Compiles all schemas once; `validate` is then cheap to call for every object. */
export function createStixValidator(): StixValidator {
  return new Validator(createSchemaRegistry());
}
