/**
 * Orderings between timestamps of one object (all MUSTs of STIX 2.1). Values that are not valid
 * timestamps are reported by the schema and skipped here.
 */
import { canonicalTimestamp } from '../timestamp';
import type { RuleContext } from './context';

interface Ordering {
  rule: string;
  earlier: string;
  later: string;
  /** true: later must be strictly greater; false: equal is allowed. */
  strict: boolean;
  /** Types it applies to; undefined for every type. */
  types?: ReadonlySet<string>;
}

const ORDERINGS: readonly Ordering[] = [
  // Section 3.2: modified MUST be later than or equal to created.
  { rule: 'modified-not-before-created', earlier: 'created', later: 'modified', strict: false },
  // Sections 4.2, 4.8, 4.9, 4.11, 4.17 and 5.2: last_seen MUST be greater than or equal to first_seen.
  { rule: 'last-seen-not-before-first-seen', earlier: 'first_seen', later: 'last_seen', strict: false, types: new Set(['campaign', 'infrastructure', 'intrusion-set', 'malware', 'threat-actor', 'sighting']) },
  // Section 4.7: valid_until MUST be greater than valid_from.
  { rule: 'valid-until-after-valid-from', earlier: 'valid_from', later: 'valid_until', strict: true, types: new Set(['indicator']) },
  // Section 4.14: last_observed MUST be greater than or equal to first_observed.
  { rule: 'last-observed-not-before-first-observed', earlier: 'first_observed', later: 'last_observed', strict: false, types: new Set(['observed-data']) },
  // Section 5.1: stop_time MUST be later than start_time.
  { rule: 'stop-time-after-start-time', earlier: 'start_time', later: 'stop_time', strict: true, types: new Set(['relationship']) },
  // Section 6.12: network-traffic end MUST be greater than or equal to start.
  { rule: 'end-not-before-start', earlier: 'start', later: 'end', strict: false, types: new Set(['network-traffic']) },
];

export function checkTimestampOrder(ctx: RuleContext): void {
  for (const ordering of ORDERINGS) {
    if (ordering.types && !ordering.types.has(ctx.type)) continue;
    const earlier = ctx.object[ordering.earlier];
    const later = ctx.object[ordering.later];
    if (typeof earlier !== 'string' || typeof later !== 'string') continue;
    // Fast path: two timestamps of equal length have the same number of fractional digits, so their
    // text order is their time order; an invalid one is reported by the schema and cannot hide a violation
    // here because the slow path below re-parses before reporting.
    if (earlier.length === later.length && (later > earlier || (later === earlier && !ordering.strict))) continue;
    // Canonical forms have a fixed width, so comparing them as strings compares the instants.
    const earlierCanonical = canonicalTimestamp(earlier);
    const laterCanonical = canonicalTimestamp(later);
    if (earlierCanonical === undefined || laterCanonical === undefined) continue;
    if (laterCanonical > earlierCanonical || (laterCanonical === earlierCanonical && !ordering.strict)) continue;
    const relation = ordering.strict ? 'be later than' : 'not be earlier than';
    // The sign states the violated relation, e.g. "(2020-01-01T00:00:00Z <= 2020-06-01T00:00:00Z)".
    const sign = ordering.strict ? '<=' : '<';
    ctx.issues.error(ordering.rule, `/${ordering.later}`, `/${ordering.later} must ${relation} /${ordering.earlier} (${later} ${sign} ${earlier})`);
  }
}
