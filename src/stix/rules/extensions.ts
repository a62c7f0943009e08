/**
 * The `extensions` property (STIX 2.1 sections 3.2 and 7.3):
 * - `extension-key` (MUST): keys are extension-definition identifiers; SCOs may also use the predefined
 *   extension names of their own type (section 6), or, in 2.0 style, a custom `-ext` name.
 * - `extension-type` (MUST, 7.3): `new-sdo`/`new-sco`/`new-sro` extensions only define new object types,
 *   so they cannot appear on a built-in type.
 * - predefined extensions are validated against their own schema (`schemas/stix/sco/extensions/`),
 *   and their custom properties follow the custom-property rules.
 * - `custom-extension` (SHOULD, section 11.3 deprecates custom extensions in favour of extension
 *   definitions; strict refuses them as `unknown-extension`).
 */
import { isValidIdentifier } from '../identifier';
import { childPointer, showValue } from '../issues';
import { PREDEFINED_EXTENSIONS, isBuiltInType, isScoKind, isValidTypeName } from '../object-kinds';
import { checkPropertiesOf } from './custom-content';
import { isRecord, type RuleContext } from './context';

const NEW_OBJECT_TYPES: ReadonlySet<string> = new Set(['new-sdo', 'new-sco', 'new-sro']);

export function checkExtensions(ctx: RuleContext): void {
  const extensions = ctx.object.extensions;
  if (!isRecord(extensions)) return;
  for (const key in extensions) {
    const path = childPointer('/extensions', key);
    const entry = extensions[key];
    if (key.startsWith('extension-definition--')) {
      if (!isValidIdentifier(key)) {
        ctx.issues.error('extension-key', path, `${path}: the key must be an extension-definition identifier with an RFC 4122 UUID (${showValue(key)})`);
      }
      if (isRecord(entry) && typeof entry.extension_type === 'string' && NEW_OBJECT_TYPES.has(entry.extension_type) && isBuiltInType(ctx.type)) {
        ctx.issues.error('extension-type', childPointer(path, 'extension_type'), `${childPointer(path, 'extension_type')} ${showValue(entry.extension_type)} defines a new object type and cannot extend the built-in type ${ctx.type}`);
      }
      continue;
    }
    const predefinedFor = PREDEFINED_EXTENSIONS.get(key);
    if (predefinedFor !== undefined) {
      if (predefinedFor !== ctx.type) {
        ctx.issues.error('extension-key', path, `${path}: ${key} is defined for ${predefinedFor} objects, not ${ctx.type}`);
        continue;
      }
      checkPredefinedExtension(ctx, key, path, entry);
      continue;
    }
    if (!isScoKind(ctx.kind)) {
      ctx.issues.error('extension-key', path, `${path}: extension keys of a ${ctx.type} must be extension-definition identifiers (${showValue(key)})`);
    } else if (!isValidTypeName(key)) {
      ctx.issues.error('extension-key', path, `${path}: a custom extension name must be 3-250 characters of a-z, 0-9 and hyphen (${showValue(key)})`);
    } else if (ctx.policy === 'strict') {
      ctx.issues.error('unknown-extension', path, `${path}: custom extension ${showValue(key)} is not predefined for ${ctx.type} and not an extension definition`);
    } else if (ctx.checkShoulds) {
      ctx.issues.warning('custom-extension', path, `${path}: custom extension ${showValue(key)} should be expressed through an extension definition`);
    }
  }
}

function checkPredefinedExtension(ctx: RuleContext, name: string, path: string, entry: unknown): void {
  const check = ctx.registry.forExtension(name);
  const known = ctx.registry.knownProperties(name);
  if (!check || !known) return;
  check(entry, ctx.issues, path);
  if (isRecord(entry)) checkPropertiesOf(ctx, entry, path, known, false);
}
