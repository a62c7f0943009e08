/**
 * Indicator patterns whose `pattern_type` is `stix` (STIX 2.1 sections 4.7 and 9):
 * - `pattern-syntax` (MUST): the pattern parses with the STIX patterning grammar.
 * - `pattern-object-type` (MUST): each object type is an SCO type or a valid custom type name.
 * - `pattern-property` (MUST): each first-level property is a property of that SCO, or a valid custom
 *   property name.
 * Other pattern languages (sigma, snort, yara, ...) are opaque to Taxiway.
 */
import { showValue } from '../issues';
import { SCO_TYPES, isValidTypeName } from '../object-kinds';
import { parsePattern, PatternSyntaxError } from '../pattern/parser';
import { isValidCustomPropertyName } from './custom-content';
import type { RuleContext } from './context';

export function checkIndicatorPattern(ctx: RuleContext): void {
  const { pattern, pattern_type: patternType } = ctx.object;
  if (ctx.type !== 'indicator' || patternType !== 'stix' || typeof pattern !== 'string') return;
  let objectPaths;
  try {
    objectPaths = parsePattern(pattern).objectPaths;
  } catch (error) {
    if (!(error instanceof PatternSyntaxError)) throw error;
    ctx.issues.error('pattern-syntax', '/pattern', `/pattern is not a valid STIX pattern: ${error.message} at offset ${error.offset} (${showValue(pattern)})`);
    return;
  }
  for (const { objectType, property } of objectPaths) {
    if (!isValidTypeName(objectType)) {
      ctx.issues.error('pattern-object-type', '/pattern', `/pattern uses ${showValue(objectType)}, which is not a valid object type name`);
      continue;
    }
    if (!SCO_TYPES.has(objectType)) continue; // custom observable: its properties are its producer's
    const known = ctx.registry.knownProperties(objectType);
    if (known && !known.has(property) && !isValidCustomPropertyName(property)) {
      ctx.issues.error('pattern-property', '/pattern', `/pattern uses ${objectType}:${property}, which is neither a ${objectType} property nor a valid custom property name`);
    }
  }
}
