/**
 * A small, realistic-looking data set for the console's tests and screenshots: indicators spread
 * over the last weeks, malware, relationships, a report referencing them, a versioned object, an
 * object whose fields try to inject markup, and a vendor push that partly fails.
 */
import { CONSOLE_IDS, push, type ConsoleTestApp } from './harness';

const uuid = (n: number, prefix = '0000'): string => `${prefix}${String(n).padStart(4, '0')}-4a5b-4c6d-8e7f-${String(n).padStart(12, '0')}`;

export const SEED = {
  malware: [`malware--${uuid(1, 'a1b2')}`, `malware--${uuid(2, 'a1b2')}`],
  versioned: `indicator--${uuid(900, 'c3d4')}`,
  hostile: `indicator--${uuid(901, 'c3d4')}`,
  report: `report--${uuid(1, 'e5f6')}`,
  identity: `identity--${uuid(1, 'b7c8')}`,
  /** Referenced by the report but never pushed. */
  missing: `malware--${uuid(99, 'a1b2')}`,
  indicatorCount: 24,
  privateIndicator: `indicator--${uuid(500, 'd9e0')}`,
};

export function indicatorId(i: number): string {
  return `indicator--${uuid(i, 'c3d4')}`;
}

function indicator(i: number, created: string): Record<string, unknown> {
  const octet = 10 + i;
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: indicatorId(i),
    created,
    modified: created,
    name: `C2 server 203.0.113.${octet}`,
    description: 'Command-and-control server seen in phishing campaigns.',
    indicator_types: ['malicious-activity'],
    pattern: `[ipv4-addr:value = '203.0.113.${octet}']`,
    pattern_type: 'stix',
    valid_from: created,
    created_by_ref: SEED.identity,
  };
}

const day = (daysAgo: number): string => new Date(Date.now() - daysAgo * 86_400_000).toISOString();

/** Loads the data set through the TAXII API, moving the app's clock so date_added spreads over weeks. */
export async function seed(t: ConsoleTestApp): Promise<{ failedPushId: string }> {
  const feed = CONSOLE_IDS.indicators;
  t.clock.setDaysAgo(26);
  await push(t.taxii, 'feeds', feed, 'dev', [
    { type: 'identity', spec_version: '2.1', id: SEED.identity, created: day(30), modified: day(30), name: 'Example CERT', identity_class: 'organization' },
    ...SEED.malware.map((id, i) => ({
      type: 'malware',
      spec_version: '2.1',
      id,
      created: day(30),
      modified: day(30),
      name: ['NightHawk loader', 'Quiet Fox backdoor'][i],
      is_family: true,
      malware_types: ['backdoor'],
      external_references: [
        { source_name: 'example-blog', url: 'https://intel.example.org/reports/nighthawk', external_id: `EX-${i + 1}` },
        { source_name: 'not-a-link', url: 'javascript:alert(document.cookie)' },
      ],
    })),
  ]);
  for (let i = 0; i < SEED.indicatorCount; i++) {
    // A few indicators every couple of days, more recently.
    t.clock.setDaysAgo(24 - i);
    await push(t.taxii, 'feeds', feed, 'dev', [indicator(i, day(24 - i))]);
  }
  t.clock.setDaysAgo(3);
  await push(t.taxii, 'feeds', feed, 'dev', [
    { ...indicator(900, day(10)), id: SEED.versioned, name: 'Phishing domain (first sighting)', pattern: "[domain-name:value = 'login-example.test']" },
    {
      type: 'relationship', spec_version: '2.1', id: `relationship--${uuid(1, 'f0f1')}`, created: day(3), modified: day(3),
      relationship_type: 'indicates', source_ref: indicatorId(0), target_ref: SEED.malware[0],
    },
    {
      type: 'indicator', spec_version: '2.1', id: SEED.hostile, created: day(3), modified: day(3),
      name: '<script>alert("name")</script><img src=x onerror=alert(1)>', description: '"><svg onload=alert(2)>',
      pattern: "[url:value = 'http://example.test/<b>']", pattern_type: 'stix', valid_from: day(3),
      external_references: [{ source_name: '<i>hostile</i>', url: 'javascript:alert(3)' }],
    },
  ]);
  t.clock.setDaysAgo(1);
  await push(t.taxii, 'feeds', feed, 'dev', [
    { ...indicator(900, day(10)), id: SEED.versioned, modified: day(1), name: 'Phishing domain (confirmed)', pattern: "[domain-name:value = 'login-example.test']" },
    {
      type: 'report', spec_version: '2.1', id: SEED.report, created: day(1), modified: day(1), name: 'NightHawk campaign, week 12',
      published: day(1), report_types: ['campaign'], object_refs: [SEED.malware[0], indicatorId(0), indicatorId(1), SEED.versioned, SEED.missing],
      created_by_ref: SEED.identity,
    },
  ]);
  t.clock.setDaysAgo(2);
  await push(t.taxii, 'feeds', CONSOLE_IDS.private, 'dev', [indicator(500, day(2))].map((o) => ({ ...o, id: SEED.privateIndicator, name: 'Private lead' })));
  await push(t.taxii, 'reference', CONSOLE_IDS.attack, 'dev', [
    { type: 'attack-pattern', spec_version: '2.1', id: `attack-pattern--${uuid(1, 'aa00')}`, created: day(40), modified: day(40), name: 'Phishing', external_references: [{ source_name: 'mitre-attack', external_id: 'T1566', url: 'https://attack.mitre.org/techniques/T1566/' }] },
    { type: 'attack-pattern', spec_version: '2.1', id: `attack-pattern--${uuid(2, 'aa00')}`, created: day(40), modified: day(40), name: 'Command and Scripting Interpreter', external_references: [{ source_name: 'mitre-attack', external_id: 'T1059', url: 'https://attack.mitre.org/techniques/T1059/' }] },
  ]);
  t.clock.setDaysAgo(0);
  // The vendor's push: one good indicator, one without a pattern, one with a malformed id.
  const failed = await push(t.taxii, 'feeds', feed, 'vendor', [
    { ...indicator(700, day(0)), name: 'Vendor sighting' },
    { ...indicator(701, day(0)), pattern: undefined, name: 'Missing pattern' },
    { ...indicator(702, day(0)), id: 'indicator--not-a-uuid' },
  ]);
  if (failed.failure_count !== 2) throw new Error(`the vendor push should fail twice, got ${failed.failure_count}`);
  return { failedPushId: failed.id };
}
