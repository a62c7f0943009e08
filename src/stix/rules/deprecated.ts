/**
 * `deprecated-property` (SHOULD, STIX 2.1 section 4.14): observed-data `objects` is deprecated in favour
 * of `object_refs`. Its embedded observables use dictionary keys instead of identifiers as references,
 * so Taxiway checks only that each entry has a `type` (schema) and warns.
 */
import type { RuleContext } from './context';

export function checkDeprecatedProperties(ctx: RuleContext): void {
  if (ctx.checkShoulds && ctx.type === 'observed-data' && ctx.object.objects !== undefined) {
    ctx.issues.warning('deprecated-property', '/objects', '/objects is deprecated since STIX 2.1; use object_refs to SCOs');
  }
}
