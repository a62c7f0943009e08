/**
 * Validation policies (configured per collection):
 * - `strict`: custom object types, custom properties and custom extensions are refused unless an
 *   extension definition declares them (new-sdo/new-sco/new-sro, toplevel-property-extension).
 * - `standard` (default): custom content is accepted when its naming follows the spec; SHOULDs are warnings.
 * - `permissive`: only the spec's MUST rules are applied; SHOULD rules are not evaluated at all.
 */
export type ValidationPolicy = 'strict' | 'standard' | 'permissive';

export const VALIDATION_POLICIES: readonly ValidationPolicy[] = ['strict', 'standard', 'permissive'];

export function isValidationPolicy(value: unknown): value is ValidationPolicy {
  return typeof value === 'string' && (VALIDATION_POLICIES as readonly string[]).includes(value);
}
