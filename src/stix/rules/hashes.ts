/**
 * `hash-algorithm-name` (SHOULD, STIX 2.1 sections 2.7 and 10.12): hash keys should come from
 * hash-algorithm-ov spelled exactly. A key that is a vocabulary name written differently (`md5`,
 * `sha256`, `SHA256`) escapes the value-format check of the schema, so it is worth a warning.
 * The value formats of correctly spelled keys are checked by `schemas/stix/common/hashes.json`.
 */
import { childPointer, showValue } from '../issues';
import { isRecord, type RuleContext } from './context';

export const HASH_ALGORITHMS: readonly string[] = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512', 'SHA3-256', 'SHA3-512', 'SSDEEP', 'TLSH'];

const normalise = (name: string): string => name.toUpperCase().replace(/[^A-Z0-9]/g, '');
const BY_NORMALISED_NAME: ReadonlyMap<string, string> = new Map(HASH_ALGORITHMS.map((name) => [normalise(name), name]));
const VOCABULARY: ReadonlySet<string> = new Set(HASH_ALGORITHMS);
/** Properties whose values are hashes dictionaries (STIX 2.1 sections 2.5, 6.x). */
const HASH_PROPERTIES: ReadonlySet<string> = new Set(['hashes', 'file_header_hashes']);
const MAX_DEPTH = 6;

/** The vocabulary spelling a key was probably meant as, if it is a misspelling of one. */
export function intendedHashAlgorithm(key: string): string | undefined {
  if (VOCABULARY.has(key)) return undefined;
  return BY_NORMALISED_NAME.get(normalise(key));
}

function visit(ctx: RuleContext, value: unknown, path: string, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (typeof value[i] === 'object') visit(ctx, value[i], childPointer(path, i), depth + 1);
    return;
  }
  if (!isRecord(value)) return;
  for (const key in value) {
    const child = value[key];
    if (typeof child !== 'object' || child === null) continue;
    const childPath = childPointer(path, key);
    if (HASH_PROPERTIES.has(key) && isRecord(child)) {
      for (const algorithm in child) {
        const intended = intendedHashAlgorithm(algorithm);
        if (intended) {
          const at = childPointer(childPath, algorithm);
          ctx.issues.warning('hash-algorithm-name', at, `${at} should be spelled ${showValue(intended)} as in hash-algorithm-ov, so that its value format is checked`);
        }
      }
    } else visit(ctx, child, childPath, depth + 1);
  }
}

export function checkHashNames(ctx: RuleContext): void {
  if (ctx.checkShoulds) visit(ctx, ctx.object, '', 0);
}
