/**
 * Custom object types and custom properties (STIX 2.1 sections 3.1, 11.1 and 11.2), under the three policies.
 * - `custom-type-name` (MUST): a-z, 0-9, hyphen, 3-250 characters, no `--`, starting with a letter.
 * - `reserved-type` (MUST): `action` is reserved.
 * - `custom-property-name` (MUST, section 11.1): a-z, 0-9 and underscore, 3-250 characters.
 * - `reserved-property` (MUST, section 3.1): severity, action, username and phone_numbers are reserved.
 * - `custom-reference` (SHOULD, convention of sections 2.9 and 3.1): a custom property ending in `_ref`
 *   holds an identifier, `_refs` a list of identifiers. A warning only: ATT&CK publishes empty strings in
 *   `x_mitre_data_source_ref`, and the spec states no MUST for custom properties here.
 * - `unknown-type`, `unknown-property` (strict policy): refused unless declared by an extension definition.
 * - `custom-type-prefix`, `custom-property-prefix` (SHOULD, sections 11.2 and 11.1): `x-` / `x_` prefixes.
 */
import { isValidIdentifier } from '../identifier';
import { isBuiltInType, isValidTypeName, RESERVED_TYPE_NAMES } from '../object-kinds';
import { childPointer, showValue } from '../issues';
import type { RuleContext, StixRecord } from './context';

const PROPERTY_NAME = /^[a-z0-9_]{3,250}$/;
const RESERVED_PROPERTIES: ReadonlySet<string> = new Set(['severity', 'action', 'username', 'phone_numbers']);

export function isValidCustomPropertyName(name: string): boolean {
  return PROPERTY_NAME.test(name);
}

/** Type-name rules, checked for every type that is not built in. Returns false when the type is unusable. */
export function checkCustomType(ctx: RuleContext): boolean {
  if (isBuiltInType(ctx.type)) return true;
  if (!isValidTypeName(ctx.type)) {
    ctx.issues.error('custom-type-name', '/type', `/type must be 3-250 characters of a-z, 0-9 and hyphen, start with a letter and have no "--" (${showValue(ctx.type)})`);
    return false;
  }
  if (RESERVED_TYPE_NAMES.has(ctx.type)) {
    ctx.issues.error('reserved-type', '/type', `/type ${showValue(ctx.type)} is reserved by STIX 2.1`);
    return false;
  }
  if (ctx.declared.newObjectType !== undefined) return true;
  if (ctx.policy === 'strict') {
    ctx.issues.error('unknown-type', '/type', `/type ${showValue(ctx.type)} is not a STIX 2.1 type and no extension definition declares it (new-sdo/new-sco/new-sro)`);
  } else if (ctx.checkShoulds && !ctx.type.startsWith('x-')) {
    ctx.issues.warning('custom-type-prefix', '/type', `/type ${showValue(ctx.type)} is a custom type and should start with "x-" (or be declared by an extension definition)`);
  }
  return true;
}

/** Checks names and values of the properties that the object's type does not define. */
export function checkCustomProperties(ctx: RuleContext, known: ReadonlySet<string>): void {
  // The properties of a custom type are its producer's own, so they need no x_ prefix; whether the type
  // itself is acceptable was decided by checkCustomType.
  const declared = ctx.declared.toplevelProperties || ctx.declared.newObjectType !== undefined || !isBuiltInType(ctx.type);
  checkPropertiesOf(ctx, ctx.object, '', known, declared);
}

/**
 * Checks the custom properties of `target` (the object, or one of its predefined extensions at `base`).
 * `declared`: an extension definition declares custom properties here, so strict accepts them and
 * the x_ prefix is not expected.
 */
export function checkPropertiesOf(ctx: RuleContext, target: StixRecord, base: string, known: ReadonlySet<string>, declared: boolean): void {
  let undeclared: string[] | undefined;
  for (const name in target) {
    if (known.has(name)) continue;
    const path = childPointer(base, name);
    if (RESERVED_PROPERTIES.has(name)) {
      ctx.issues.error('reserved-property', path, `${path} is a reserved property name and must not be used`);
      continue;
    }
    if (!isValidCustomPropertyName(name)) {
      ctx.issues.error('custom-property-name', path, `${path} is not a valid custom property name (3-250 characters of a-z, 0-9 and _)`);
      continue;
    }
    if (ctx.checkShoulds) checkReferenceValue(ctx, path, name, target[name]);
    if (declared) continue;
    if (ctx.policy === 'strict') {
      ctx.issues.error('unknown-property', path, `${path} is not defined for ${ctx.type} and no toplevel-property-extension declares custom properties`);
    } else if (ctx.checkShoulds && !name.startsWith('x_')) {
      (undeclared ??= []).push(name);
    }
  }
  if (undeclared) {
    ctx.issues.warning('custom-property-prefix', base, `custom properties ${undeclared.map((n) => childPointer(base, n)).join(', ')} should start with "x_" or be declared by a toplevel-property-extension`);
  }
}

function checkReferenceValue(ctx: RuleContext, path: string, name: string, value: unknown): void {
  if (name.endsWith('_ref')) {
    if (typeof value !== 'string' || !isValidIdentifier(value)) {
      ctx.issues.warning('custom-reference', path, `${path} ends in _ref and should be a STIX identifier (${showValue(value)})`);
    }
  } else if (name.endsWith('_refs')) {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !isValidIdentifier(v))) {
      ctx.issues.warning('custom-reference', path, `${path} ends in _refs and should be a list of STIX identifiers (${showValue(value)})`);
    }
  }
}
