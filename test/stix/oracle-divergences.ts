/**
 * The oracle comparison: each corpus object goes through Taxiway's validator and through the OASIS
 * schemas; disagreements are grouped by (direction, file, Taxiway rules) so that the documented list in
 * docs/validation.md stays readable and a new disagreement of any kind changes the set.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StixValidator } from '../../src/stix/validator';
import type { CorpusObject, OasisOracle } from './oasis-oracle';

export interface Divergence {
  direction: 'taxiway-rejects' | 'taxiway-accepts';
  file: string;
  /** Taxiway's error rules for the objects (sorted, joined by '+'), or '-' when Taxiway accepts. */
  rules: string;
  count: number;
}

export const divergenceKey = (d: Divergence): string => `${d.direction} | ${d.file} | ${d.rules} | ${d.count}`;

export interface OracleOutcome {
  agreements: number;
  divergences: Divergence[];
}

export function compareWithOracle(objects: readonly CorpusObject[], validator: StixValidator, oracle: OasisOracle): OracleOutcome {
  const groups = new Map<string, Divergence>();
  let agreements = 0;
  for (const { file, object } of objects) {
    const taxiway = validator.validate(object, { policy: 'standard', acceptStix20: false });
    const oasis = oracle.isValid(object);
    if (taxiway.valid === oasis) {
      agreements++;
      continue;
    }
    const direction = taxiway.valid ? 'taxiway-accepts' : 'taxiway-rejects';
    const rules = taxiway.valid ? '-' : [...new Set(taxiway.errors.map((e) => e.rule))].sort().join('+');
    const key = `${direction}|${file}|${rules}`;
    const group = groups.get(key) ?? { direction, file, rules, count: 0 };
    group.count++;
    groups.set(key, group);
  }
  return { agreements, divergences: [...groups.values()].sort((a, b) => divergenceKey(a).localeCompare(divergenceKey(b))) };
}

const START = '<!-- oracle-divergences:start -->';
const END = '<!-- oracle-divergences:end -->';

/** The rows of the divergence table in docs/validation.md: `| direction | file | rules | count | reason |`. */
export function documentedDivergences(docsFile = path.resolve(__dirname, '..', '..', 'docs', 'validation.md')): Divergence[] {
  const text = fs.readFileSync(docsFile, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${docsFile} lacks the ${START} … ${END} table`);
  const rows: Divergence[] = [];
  for (const line of text.slice(start + START.length, end).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // cells: '', direction, file, rules, count, reason, ''
    if (cells.length < 6 || (cells[1] !== 'taxiway-rejects' && cells[1] !== 'taxiway-accepts')) continue;
    rows.push({ direction: cells[1], file: cells[2].replace(/`/g, ''), rules: cells[3].replace(/`/g, ''), count: Number(cells[4]) });
  }
  return rows;
}
