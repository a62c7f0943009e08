/**
 * Test-only harness: the OASIS STIX 2.1 JSON schemas (`../shared/oasis/stix2.1-json-schemas`) compiled with
 * ajv and applied per object type, the way the OASIS Python validator does, as an oracle for Taxiway's
 * validator. The OASIS files are read in place and never copied into the project.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { SHARED } from '../support/shared';

/** The folder beside the repository that holds the corpus and the OASIS material. */

function listJson(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listJson(full));
    else if (entry.name.endsWith('.json')) out.push(full);
  }
  return out;
}

export interface OasisOracle {
  isValid(object: Record<string, unknown>): boolean;
}

export function createOasisOracle(): OasisOracle {
  const root = path.join(SHARED, 'oasis', 'stix2.1-json-schemas', 'schemas');
  // unicodeRegExp:false because 4 OASIS patterns use `\-` outside a class (see the validation notes).
  const ajv = new Ajv2020({ strict: false, unicodeRegExp: false, allErrors: false });
  addFormats(ajv);
  // The OASIS CI adds ajv-formats-draft2019 for idn-hostname; a permissive host-name check stands in here.
  ajv.addFormat('idn-hostname', /^[^\s/:@]+$/u);
  const byType = new Map<string, string>();
  for (const file of listJson(root)) {
    const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as { $id: string };
    ajv.addSchema(schema);
    byType.set(path.basename(file, '.json'), schema.$id);
  }
  const cache = new Map<string, ValidateFunction>();
  const compiled = (name: string): ValidateFunction => {
    let fn = cache.get(name);
    if (!fn) {
      const id = byType.get(name);
      if (!id) throw new Error(`no OASIS schema ${name}`);
      fn = ajv.getSchema(id) as ValidateFunction;
      cache.set(name, fn);
    }
    return fn;
  };
  const builtIn = new Set([...byType.keys()].filter((n) => !['core', 'cyber-observable-core', 'properties', 'dictionary', 'bundle', 'hashes-type', 'identifier', 'timestamp', 'url-regex', 'binary', 'hex', 'external-reference', 'granular-marking', 'kill-chain-phase', 'extension'].includes(n)));
  return {
    isValid(object) {
      const type = String(object.type);
      let name = type;
      if (!builtIn.has(type)) {
        const scoLike = object.created === undefined && object.modified === undefined && type !== 'marking-definition';
        name = scoLike ? 'cyber-observable-core' : 'core';
      }
      return compiled(name)(object) as boolean;
    },
  };
}

export interface CorpusObject {
  /** File relative to `../shared`. */
  file: string;
  object: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every STIX object (a record with a string type and a `<type>--` id, not a bundle) inside a JSON value. */
export function stixObjectsIn(value: unknown, into: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) {
    for (const item of value) stixObjectsIn(item, into);
  } else if (isRecord(value)) {
    if (typeof value.type === 'string' && typeof value.id === 'string' && value.id.startsWith(`${value.type}--`) && value.type !== 'bundle') {
      into.push(value);
      return into;
    }
    for (const key of Object.keys(value)) stixObjectsIn(value[key], into);
  }
  return into;
}

/** Objects of the corpus and of the OASIS examples, in a stable order. */
export function loadCorpus(): CorpusObject[] {
  const files = [...listJson(path.join(SHARED, 'corpus')), ...listJson(path.join(SHARED, 'oasis', 'stix2.1-examples'))];
  const objects: CorpusObject[] = [];
  for (const file of files) {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    const rel = path.relative(SHARED, file).split(path.sep).join('/');
    for (const object of stixObjectsIn(parsed)) objects.push({ file: rel, object });
  }
  return objects;
}
