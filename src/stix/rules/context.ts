/** What every rule receives: the object, what kind of object it is, the policy and where to report. */
import type { IssueCollector } from '../issues';
import type { ObjectKind } from '../object-kinds';
import type { ValidationPolicy } from '../policy';
import type { SchemaRegistry } from '../schema-registry';

export type StixRecord = Readonly<Record<string, unknown>>;

/** What the object's `extensions` entries keyed by extension-definition ids declare. */
export interface DeclaredExtensions {
  /** `new-sdo`, `new-sco` or `new-sro` when an extension definition defines this object type. */
  newObjectType: string | undefined;
  /** True when a `toplevel-property-extension` entry declares top-level custom properties. */
  toplevelProperties: boolean;
}

export interface RuleContext {
  readonly object: StixRecord;
  readonly type: string;
  readonly kind: ObjectKind;
  readonly policy: ValidationPolicy;
  /** False under the permissive policy: SHOULD rules are skipped. */
  readonly checkShoulds: boolean;
  readonly declared: DeclaredExtensions;
  readonly registry: SchemaRegistry;
  readonly issues: IssueCollector;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NEW_OBJECT_EXTENSION_TYPES: ReadonlySet<string> = new Set(['new-sdo', 'new-sco', 'new-sro']);

export function readDeclaredExtensions(extensions: unknown): DeclaredExtensions {
  const declared: DeclaredExtensions = { newObjectType: undefined, toplevelProperties: false };
  if (!isRecord(extensions)) return declared;
  for (const key in extensions) {
    if (!key.startsWith('extension-definition--')) continue;
    const entry = extensions[key];
    if (!isRecord(entry) || typeof entry.extension_type !== 'string') continue;
    if (NEW_OBJECT_EXTENSION_TYPES.has(entry.extension_type)) declared.newObjectType = entry.extension_type;
    else if (entry.extension_type === 'toplevel-property-extension') declared.toplevelProperties = true;
  }
  return declared;
}
