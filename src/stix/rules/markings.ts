/**
 * Marking rules the schema cannot express (STIX 2.1 section 7.2):
 * - `granular-marking-selector` (MUST, 7.2.3.1): each selector names a property, list index or nested
 *   property actually present in the object (`description`, `external_references.[0].url`).
 * - `marking-circular-reference` (MUST, 7.2.1): a marking definition cannot mark itself.
 * - `tlp-marking` (MUST, 7.2.1.4): TLP 1.0 markings are exactly the four objects the spec defines
 *   ("Other instances of tlp-marking MUST NOT be used or created"); TLP 2.0 markings use an extension.
 */
import { childPointer, showValue } from '../issues';
import { isRecord, type RuleContext } from './context';

/** The four TLP 1.0 marking definitions of STIX 2.1 section 7.2.1.4, by id. */
export const TLP_MARKINGS: ReadonlyMap<string, { name: string; tlp: string }> = new Map([
  ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', { name: 'TLP:WHITE', tlp: 'white' }],
  ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', { name: 'TLP:GREEN', tlp: 'green' }],
  ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', { name: 'TLP:AMBER', tlp: 'amber' }],
  ['marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed', { name: 'TLP:RED', tlp: 'red' }],
]);
const TLP_CREATED = '2017-01-20T00:00:00.000Z';

const INDEX_TOKEN = /^\[(\d+)\]$/;

/** Whether a selector resolves to content of the object; the reason when it does not. */
export function selectorProblem(object: Readonly<Record<string, unknown>>, selector: string): string | undefined {
  if (selector === '') return 'is empty';
  let current: unknown = object;
  const tokens = selector.split('.');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const index = INDEX_TOKEN.exec(token);
    if (index) {
      if (!Array.isArray(current)) return `selects ${showValue(tokens.slice(0, i + 1).join('.'))} but ${showValue(tokens.slice(0, i).join('.'))} is not a list`;
      const n = Number(index[1]);
      if (n >= current.length) return `selects index ${n} of ${showValue(tokens.slice(0, i).join('.'))}, which has ${current.length} entries`;
      current = current[n];
    } else {
      if (!isRecord(current) || !Object.prototype.hasOwnProperty.call(current, token)) {
        return `selects ${showValue(tokens.slice(0, i + 1).join('.'))}, which is not in the object`;
      }
      current = current[token];
    }
  }
  return undefined;
}

export function checkMarkings(ctx: RuleContext): void {
  const { object } = ctx;
  const id = object.id;
  const granular = object.granular_markings;
  if (Array.isArray(granular)) {
    granular.forEach((marking, m) => {
      if (!isRecord(marking)) return;
      const base = childPointer('/granular_markings', m);
      if (Array.isArray(marking.selectors)) {
        marking.selectors.forEach((selector, s) => {
          if (typeof selector !== 'string') return;
          const problem = selectorProblem(object, selector);
          if (problem) {
            const path = childPointer(childPointer(base, 'selectors'), s);
            ctx.issues.error('granular-marking-selector', path, `${path} ${problem}`);
          }
        });
      }
      if (ctx.type === 'marking-definition' && marking.marking_ref === id) {
        const path = childPointer(base, 'marking_ref');
        ctx.issues.error('marking-circular-reference', path, `${path} must not reference the marking definition itself (${showValue(id)})`);
      }
    });
  }
  if (ctx.type === 'marking-definition' && object.definition_type === 'tlp') checkTlpMarking(ctx);
  if (ctx.type === 'marking-definition' && Array.isArray(object.object_marking_refs)) {
    object.object_marking_refs.forEach((ref, i) => {
      if (ref === id) {
        const path = childPointer('/object_marking_refs', i);
        ctx.issues.error('marking-circular-reference', path, `${path} must not reference the marking definition itself (${showValue(id)})`);
      }
    });
  }
}

function checkTlpMarking(ctx: RuleContext): void {
  const { object } = ctx;
  const expected = typeof object.id === 'string' ? TLP_MARKINGS.get(object.id) : undefined;
  if (!expected) {
    ctx.issues.error('tlp-marking', '/id', `/id must be one of the four TLP marking definitions of STIX 2.1 when definition_type is "tlp" (${showValue(object.id)})`);
    return;
  }
  const definition = isRecord(object.definition) ? object.definition : {};
  if (definition.tlp !== expected.tlp) {
    ctx.issues.error('tlp-marking', '/definition/tlp', `/definition/tlp must be ${showValue(expected.tlp)} for ${expected.name} (${showValue(definition.tlp)})`);
  }
  if (object.name !== undefined && object.name !== expected.name) {
    ctx.issues.error('tlp-marking', '/name', `/name must be ${showValue(expected.name)} for this TLP marking (${showValue(object.name)})`);
  }
  if (object.created !== TLP_CREATED) {
    ctx.issues.error('tlp-marking', '/created', `/created must be ${TLP_CREATED} for ${expected.name} (${showValue(object.created)})`);
  }
}
