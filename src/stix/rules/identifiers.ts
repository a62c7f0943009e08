/**
 * Identifier rules that need the whole object (the shape of every identifier is a schema format):
 * - `identifier-type-prefix` (MUST, STIX 2.1 section 2.9): the id's prefix is the object's `type`.
 * - `uuid-v4-required` (MUST, section 2.9 and 6.x): process ids, and SCOs with none of their
 *   ID-contributing properties, use UUIDv4 because there is nothing to derive a UUIDv5 from.
 * - `uuid-version-recommended` (SHOULD, section 2.9): UUIDv4 for SDOs, SROs, meta objects and bundles,
 *   UUIDv5 for other SCOs.
 * - `identifier-lowercase` (SHOULD, RFC 4122 section 3): UUID hex digits are written in lower case.
 */
import { parseIdentifier } from '../identifier';
import { ID_CONTRIBUTING_PROPERTIES, isScoKind } from '../object-kinds';
import { showValue } from '../issues';
import type { RuleContext } from './context';

export function checkIdentifierRules(ctx: RuleContext): void {
  const id = ctx.object.id;
  if (typeof id !== 'string') return;
  const parsed = parseIdentifier(id);
  if (!parsed) return; // reported by the schema's identifier format
  if (parsed.type !== ctx.type) {
    ctx.issues.error('identifier-type-prefix', '/id', `/id must start with "${ctx.type}--" to match /type (${showValue(id)})`);
  }
  if (!parsed.rfc4122Variant || parsed.version < 1 || parsed.version > 5) return;

  if (isScoKind(ctx.kind)) {
    const contributing = ID_CONTRIBUTING_PROPERTIES.get(ctx.type);
    if (contributing !== undefined) {
      const hasContributing = contributing.some((name) => ctx.object[name] !== undefined);
      if (!hasContributing) {
        if (parsed.version !== 4) {
          const why = contributing.length === 0 ? `${ctx.type} defines no ID-contributing properties` : `it has none of its ID-contributing properties (${contributing.join(', ')})`;
          ctx.issues.error('uuid-v4-required', '/id', `/id must use a version 4 UUID because ${why} (${showValue(id)} is version ${parsed.version})`);
        }
      } else if (ctx.checkShoulds && parsed.version !== 5) {
        ctx.issues.warning('uuid-version-recommended', '/id', `/id should use a version 5 UUID derived from the ID-contributing properties (${showValue(id)} is version ${parsed.version})`);
      }
    }
  } else if (ctx.checkShoulds && parsed.version !== 4) {
    ctx.issues.warning('uuid-version-recommended', '/id', `/id should use a version 4 UUID (${showValue(id)} is version ${parsed.version})`);
  }
  if (ctx.checkShoulds && parsed.uuid !== parsed.uuid.toLowerCase()) {
    ctx.issues.warning('identifier-lowercase', '/id', `/id should write its UUID in lower case (${showValue(id)})`);
  }
}
