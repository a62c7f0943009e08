/**
 * Validation policies (configured per collection):
 * - `strict`: custom object types, custom properties and custom extensions are refused unless an
 *   extension definition declares them (new-sdo/new-sco/new-sro, toplevel-property-extension).
 * - `standard` (default): custom content is accepted when its naming follows the spec; SHOULDs are warnings.
 * - `permissive`: only the spec's MUST rules are applied; SHOULD rules are not evaluated at all.
 */
export const VALIDATION_POLICIES = ['strict', 'standard', 'permissive'] as const;

export type ValidationPolicy = (typeof VALIDATION_POLICIES)[number];
