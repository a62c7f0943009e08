/**
 * Taxiway's own fixtures: for each rule of the catalog, objects that satisfy it and objects that break it.
 * They are built from small valid base objects so that each invalid fixture differs in one respect.
 */
import type { ValidationPolicy } from '../../src/stix/validator';

export type StixObject = Record<string, unknown>;

export interface RuleCase {
  rule: string;
  policy?: ValidationPolicy;
  acceptStix20?: boolean;
  valid: StixObject[];
  invalid: StixObject[];
}

const T = '2020-01-01T00:00:00.000Z';
export const IDS = {
  identity: 'identity--7db68b55-128a-4e8f-b41a-ec755a582b4a',
  indicator: 'indicator--00feaba9-3da4-4485-b490-5f5085aae552',
  malware: 'malware--0e331673-3b75-47f5-99ca-50f5cdc04aa2',
  marking: 'marking-definition--cb07e8a7-b279-4888-b5fa-d58d7ac2b5b3',
  relationship: 'relationship--bff56e03-fc7f-43eb-8d96-2fae245fe7e6',
  extensionDefinition: 'extension-definition--71af7db0-0239-4ce9-aaaa-16545c93da6e',
  observedData: 'observed-data--174d5db8-89d8-429f-8a56-801b990cc1a5',
  process: 'process--2fa0dc30-b3b0-4510-b655-b3c00f0b2267',
  file: 'file--c10ebc4d-e065-5ec7-93e4-fa1fd2bae072',
  ipv4: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4',
  networkTraffic: 'network-traffic--eb26d11b-60e2-4581-bc4d-00af304476ce',
  location: 'location--b72628e3-b3ab-4cb7-84b6-51a832cfd41c',
  custom: 'x-example-widget--a910923f-bf31-48fb-93a1-a319826d7ace',
  artifact: 'artifact--d17dcba1-36da-4dc3-9957-133112118039',
};
const uuidOf = (id: string): string => id.slice(id.indexOf('--') + 2);
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const sdo = (type: string, id: string, props: StixObject): StixObject => ({ type, spec_version: '2.1', id, created: T, modified: T, ...props });

export const BASE = {
  identity: sdo('identity', IDS.identity, { name: 'ACME', identity_class: 'organization' }),
  indicator: sdo('indicator', IDS.indicator, { pattern: "[ipv4-addr:value = '198.51.100.3']", pattern_type: 'stix', valid_from: T }),
  malware: sdo('malware', IDS.malware, { name: 'Evil', is_family: true }),
  relationship: sdo('relationship', IDS.relationship, { relationship_type: 'indicates', source_ref: IDS.indicator, target_ref: IDS.malware }),
  observedData: sdo('observed-data', IDS.observedData, { first_observed: T, last_observed: T, number_observed: 1, object_refs: [IDS.ipv4] }),
  location: sdo('location', IDS.location, { region: 'europe' }),
  marking: { type: 'marking-definition', spec_version: '2.1', id: IDS.marking, created: T, definition_type: 'statement', definition: { statement: 'Copyright ACME' } },
  extensionDefinition: sdo('extension-definition', IDS.extensionDefinition, { created_by_ref: IDS.identity, name: 'widgets', schema: 'https://example.com/widgets', version: '1.0.0', extension_types: ['new-sdo'] }),
  file: { type: 'file', spec_version: '2.1', id: IDS.file, name: 'a.exe' },
  ipv4: { type: 'ipv4-addr', spec_version: '2.1', id: IDS.ipv4, value: '198.51.100.3' },
  process: { type: 'process', spec_version: '2.1', id: IDS.process, pid: 4 },
  networkTraffic: { type: 'network-traffic', id: IDS.networkTraffic, src_ref: IDS.ipv4, protocols: ['tcp'] },
  artifact: { type: 'artifact', id: IDS.artifact, mime_type: 'text/plain', payload_bin: 'aGVsbG8=' },
  customSdo: sdo('x-example-widget', IDS.custom, { name: 'gear', extensions: { [IDS.extensionDefinition]: { extension_type: 'new-sdo' } } }),
} satisfies Record<string, StixObject>;

/** A copy of `base` with properties replaced; `undefined` removes a property. */
export function variant(base: StixObject, changes: StixObject): StixObject {
  const copy: StixObject = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
  }
  return copy;
}

const TLP_GREEN: StixObject = {
  type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', created: '2017-01-20T00:00:00.000Z',
  definition_type: 'tlp', name: 'TLP:GREEN', definition: { tlp: 'green' },
};
const pattern = (text: string): StixObject => variant(BASE.indicator, { pattern: text });
const withExtensions = (base: StixObject, extensions: StixObject): StixObject => variant(base, { extensions });
const toplevelExtension = { [IDS.extensionDefinition]: { extension_type: 'toplevel-property-extension' } };

export const RULE_CASES: readonly RuleCase[] = [
  { rule: 'json-object', valid: [BASE.identity], invalid: [[] as unknown as StixObject, 'identity' as unknown as StixObject] },
  { rule: 'nesting-depth', valid: [BASE.identity], invalid: [variant(BASE.identity, { x_deep: JSON.parse(`${'['.repeat(70)}${']'.repeat(70)}`) as unknown })] },
  { rule: 'required-property', valid: [BASE.identity], invalid: [variant(BASE.identity, { name: undefined }), variant(BASE.identity, { modified: undefined }), variant(BASE.malware, { name: undefined })] },
  { rule: 'property-type', valid: [BASE.identity], invalid: [variant(BASE.identity, { name: 5 }), variant(BASE.identity, { revoked: 'yes' })] },
  { rule: 'allowed-value', valid: [sdo('opinion', 'opinion--7db68b55-128a-4e8f-b41a-ec755a582b4a', { opinion: 'agree', object_refs: [IDS.malware] })], invalid: [sdo('opinion', 'opinion--7db68b55-128a-4e8f-b41a-ec755a582b4a', { opinion: 'maybe', object_refs: [IDS.malware] })] },
  { rule: 'value-range', valid: [variant(BASE.identity, { confidence: 100 })], invalid: [variant(BASE.identity, { confidence: 101 }), variant(BASE.networkTraffic, { src_port: 70000 })] },
  { rule: 'non-empty', valid: [variant(BASE.identity, { labels: ['x'] })], invalid: [variant(BASE.identity, { labels: [] }), variant(BASE.file, { hashes: {} })] },
  { rule: 'dependent-property', valid: [variant(BASE.location, { latitude: 1, longitude: 2 })], invalid: [variant(BASE.location, { latitude: 1 }), variant(BASE.artifact, { payload_bin: undefined, url: 'https://example.com/a' })] },
  { rule: 'dictionary-key', valid: [variant(BASE.process, { environment_variables: { PATH: '/bin' } })], invalid: [variant(BASE.process, { environment_variables: { 'PATH NAME': '/bin' } })] },
  { rule: 'timestamp', valid: [variant(BASE.identity, { created: '2020-02-29T00:00:00.000Z', modified: '2020-02-29T00:00:00.000Z' })], invalid: [variant(BASE.identity, { created: '2019-02-29T00:00:00.000Z' }), variant(BASE.identity, { modified: '2020-01-01T00:00:00.000+01:00' }), variant(BASE.identity, { created: '2022-101-27T13:49:54.326Z' })] },
  { rule: 'timestamp-precision', valid: [variant(BASE.identity, { modified: '2020-01-01T00:00:00.123456Z' })], invalid: [variant(BASE.identity, { modified: '2020-01-01T00:00:00Z' }), variant(BASE.identity, { created: '2019-01-01T00:00:00.1Z' })] },
  { rule: 'identifier', valid: [BASE.identity], invalid: [variant(BASE.identity, { id: 'identity--d81f86b9-975b-bc0b-875e-8a3a7a0b1c9d' }), variant(BASE.identity, { id: 'identity--d81f86b9-975b-4c0b-475e-8a3a7a0b1c9d' }), variant(BASE.identity, { created_by_ref: 'identity-1' })] },
  { rule: 'identifier-type-prefix', valid: [BASE.malware], invalid: [variant(BASE.malware, { id: IDS.identity }), variant(BASE.customSdo, { id: `x-example-gadget--${uuidOf(IDS.custom)}` })] },
  { rule: 'uuid-v4-required', valid: [BASE.process, { type: 'artifact', id: IDS.artifact, mime_type: 'text/plain' }], invalid: [variant(BASE.process, { id: 'process--c10ebc4d-e065-5ec7-93e4-fa1fd2bae072' }), { type: 'artifact', id: 'artifact--c10ebc4d-e065-5ec7-93e4-fa1fd2bae072', mime_type: 'text/plain' }] },
  { rule: 'uuid-version-recommended', valid: [BASE.identity, BASE.file], invalid: [variant(BASE.identity, { id: 'identity--1621d4d4-b67d-11e3-9670-f01faf20d111' }), variant(BASE.file, { id: `file--${uuidOf(IDS.identity)}` })] },
  { rule: 'identifier-lowercase', valid: [BASE.identity], invalid: [variant(BASE.identity, { id: IDS.identity.toUpperCase().replace('IDENTITY', 'identity') })] },
  { rule: 'spec-version', valid: [BASE.identity, variant(BASE.file, { spec_version: undefined }), variant(BASE.identity, { spec_version: undefined })], invalid: [variant(BASE.identity, { spec_version: undefined }), variant(BASE.identity, { spec_version: '2.2' }), variant(BASE.file, { spec_version: '2.0' })], acceptStix20: false },
  { rule: 'modified-not-before-created', valid: [variant(BASE.identity, { modified: '2021-01-01T00:00:00.000Z' })], invalid: [variant(BASE.identity, { modified: '2019-12-31T23:59:59.999Z' })] },
  { rule: 'last-seen-not-before-first-seen', valid: [variant(BASE.malware, { first_seen: T, last_seen: T })], invalid: [variant(BASE.malware, { first_seen: '2020-06-01T00:00:00Z', last_seen: '2020-01-01T00:00:00Z' })] },
  { rule: 'valid-until-after-valid-from', valid: [variant(BASE.indicator, { valid_until: '2020-01-01T00:00:00.001Z' })], invalid: [variant(BASE.indicator, { valid_until: T }), variant(BASE.indicator, { valid_from: '2020-06-01T00:00:00Z', valid_until: '2020-01-01T00:00:00Z' })] },
  { rule: 'last-observed-not-before-first-observed', valid: [BASE.observedData], invalid: [variant(BASE.observedData, { last_observed: '2019-01-01T00:00:00Z' })] },
  { rule: 'stop-time-after-start-time', valid: [variant(BASE.relationship, { start_time: T, stop_time: '2021-01-01T00:00:00Z' })], invalid: [variant(BASE.relationship, { start_time: T, stop_time: T })] },
  { rule: 'end-not-before-start', valid: [variant(BASE.networkTraffic, { start: T, end: T })], invalid: [variant(BASE.networkTraffic, { start: T, end: '2019-01-01T00:00:00Z' })] },
  { rule: 'custom-type-name', valid: [BASE.customSdo], invalid: [variant(BASE.customSdo, { type: 'X-Widget', id: `X-Widget--${uuidOf(IDS.custom)}` }), variant(BASE.customSdo, { type: 'x--widget' }), variant(BASE.customSdo, { type: 'xw' })] },
  { rule: 'reserved-type', valid: [BASE.customSdo], invalid: [variant(BASE.customSdo, { type: 'action', id: `action--${uuidOf(IDS.custom)}` })] },
  { rule: 'unknown-type', policy: 'strict', valid: [BASE.customSdo], invalid: [variant(BASE.customSdo, { extensions: undefined })] },
  { rule: 'custom-type-prefix', valid: [BASE.customSdo, variant(BASE.customSdo, { extensions: undefined })], invalid: [variant(BASE.customSdo, { type: 'widget', id: `widget--${uuidOf(IDS.custom)}`, extensions: undefined })] },
  { rule: 'custom-property-name', valid: [variant(BASE.identity, { x_acme_score: 1 })], invalid: [variant(BASE.identity, { 'x-acme-score': 1 }), variant(BASE.identity, { x_Acme: 1 }), variant(BASE.identity, { xy: 1 })] },
  { rule: 'reserved-property', valid: [BASE.identity], invalid: [variant(BASE.identity, { severity: 'high' }), variant(BASE.file, { username: 'root' })] },
  { rule: 'unknown-property', policy: 'strict', valid: [variant(BASE.identity, { x_acme_score: 1, extensions: toplevelExtension })], invalid: [variant(BASE.identity, { x_acme_score: 1 })] },
  { rule: 'custom-property-prefix', valid: [variant(BASE.identity, { x_acme_score: 1 }), variant(BASE.identity, { acme_score: 1, extensions: toplevelExtension })], invalid: [variant(BASE.identity, { acme_score: 1 })] },
  { rule: 'custom-reference', valid: [variant(BASE.identity, { x_acme_owner_ref: IDS.identity })], invalid: [variant(BASE.identity, { x_acme_owner_ref: '' }), variant(BASE.identity, { x_acme_owner_refs: ['nope'] })] },
  { rule: 'reference-type', valid: [variant(BASE.malware, { created_by_ref: IDS.identity, object_marking_refs: [IDS.marking] })], invalid: [variant(BASE.malware, { created_by_ref: IDS.malware }), variant(BASE.malware, { object_marking_refs: [IDS.identity] }), variant(BASE.relationship, { source_ref: IDS.marking }), variant(BASE.networkTraffic, { src_ref: IDS.file }), variant(BASE.ipv4, { resolves_to_refs: [IDS.ipv4] })] },
  { rule: 'granular-marking-selector', valid: [variant(BASE.identity, { granular_markings: [{ selectors: ['name', 'labels.[0]'], marking_ref: IDS.marking }], labels: ['a'] })], invalid: [variant(BASE.identity, { granular_markings: [{ selectors: ['description'], marking_ref: IDS.marking }] }), variant(BASE.identity, { granular_markings: [{ selectors: ['labels.[1]'], marking_ref: IDS.marking }], labels: ['a'] })] },
  { rule: 'marking-circular-reference', valid: [BASE.marking], invalid: [variant(BASE.marking, { object_marking_refs: [IDS.marking] }), variant(BASE.marking, { granular_markings: [{ selectors: ['definition'], marking_ref: IDS.marking }] })] },
  { rule: 'tlp-marking', valid: [TLP_GREEN], invalid: [variant(TLP_GREEN, { id: IDS.marking }), variant(TLP_GREEN, { definition: { tlp: 'red' } }), variant(TLP_GREEN, { name: 'green' }), variant(TLP_GREEN, { created: T })] },
  { rule: 'hash-value', valid: [variant(BASE.file, { hashes: { 'SHA-256': SHA256, MD5: 'd41d8cd98f00b204e9800998ecf8427e' } })], invalid: [variant(BASE.file, { hashes: { 'SHA-256': 'abc' } }), variant(BASE.file, { hashes: { MD5: SHA256 } }), variant(BASE.identity, { external_references: [{ source_name: 'x', url: 'https://example.com', hashes: { 'SHA-1': 'zz' } }] })] },
  { rule: 'hash-algorithm-name', valid: [variant(BASE.file, { hashes: { 'SHA-256': SHA256, x_acme_hash: 'q' } })], invalid: [variant(BASE.file, { hashes: { sha256: SHA256 } }), variant(BASE.file, { hashes: { md5: 'd41d8cd98f00b204e9800998ecf8427e' } })] },
  { rule: 'language-tag', valid: [variant(BASE.identity, { lang: 'en' }), variant(BASE.identity, { lang: 'zh-Hant-TW' })], invalid: [variant(BASE.identity, { lang: 'e' }), variant(BASE.identity, { lang: 'en_US' }), variant(BASE.identity, { lang: 'en-' })] },
  { rule: 'extension-key', valid: [withExtensions(BASE.file, { 'ntfs-ext': { sid: 'S-1' } })], invalid: [withExtensions(BASE.process, { 'ntfs-ext': { sid: 'S-1' } }), withExtensions(BASE.identity, { 'my-ext': { a: 1 } }), withExtensions(BASE.identity, { 'extension-definition--1234': { extension_type: 'property-extension' } })] },
  { rule: 'extension-type', valid: [BASE.customSdo], invalid: [withExtensions(BASE.identity, { [IDS.extensionDefinition]: { extension_type: 'new-sdo' } })] },
  { rule: 'unknown-extension', policy: 'strict', valid: [withExtensions(BASE.file, { 'ntfs-ext': { sid: 'S-1' } })], invalid: [withExtensions(BASE.file, { 'x-acme-ext': { level: 1 } })] },
  { rule: 'custom-extension', valid: [withExtensions(BASE.file, { 'ntfs-ext': { sid: 'S-1' } })], invalid: [withExtensions(BASE.file, { 'x-acme-ext': { level: 1 } })] },
  { rule: 'pattern-syntax', valid: [pattern("[file:hashes.'SHA-256' = 'aa' OR file:name LIKE 'a%'] FOLLOWEDBY [ipv4-addr:value ISSUBSET '198.51.100.0/24'] WITHIN 300 SECONDS")], invalid: [pattern("[file:name = 'a'"), pattern("[file:name 'a']"), pattern("file:name = 'a'"), pattern("[file:name = 'a' AND unconverted_term:x.y]")] },
  { rule: 'pattern-object-type', valid: [pattern("[x-acme-thing:size > 5]")], invalid: [pattern("[File:name = 'a']"), pattern("[x--thing:name = 'a']")] },
  { rule: 'pattern-property', valid: [pattern("[file:x_acme_tag = 'a']")], invalid: [pattern("[file:x_ID = 'a']")] },
  { rule: 'deprecated-property', valid: [BASE.observedData], invalid: [variant(BASE.observedData, { object_refs: undefined, objects: { '0': { type: 'ipv4-addr', value: '198.51.100.3' } } })] },
  { rule: 'location-content', valid: [BASE.location, variant(BASE.location, { region: undefined, country: 'de' })], invalid: [variant(BASE.location, { region: undefined, city: 'Bonn' })] },
  { rule: 'malware-analysis-content', valid: [sdo('malware-analysis', 'malware-analysis--7db68b55-128a-4e8f-b41a-ec755a582b4a', { product: 'av', result: 'malicious' })], invalid: [sdo('malware-analysis', 'malware-analysis--7db68b55-128a-4e8f-b41a-ec755a582b4a', { product: 'av' })] },
  { rule: 'observed-data-content', valid: [BASE.observedData], invalid: [variant(BASE.observedData, { object_refs: undefined }), variant(BASE.observedData, { objects: { '0': { type: 'ipv4-addr', value: '198.51.100.3' } } })] },
  { rule: 'artifact-content', valid: [BASE.artifact], invalid: [variant(BASE.artifact, { url: 'https://example.com/a', hashes: { 'SHA-256': SHA256 } })] },
  { rule: 'file-content', valid: [BASE.file], invalid: [variant(BASE.file, { name: undefined, size: 4 })] },
  { rule: 'network-traffic-content', valid: [BASE.networkTraffic], invalid: [variant(BASE.networkTraffic, { src_ref: undefined })] },
  { rule: 'network-traffic-active-end', valid: [variant(BASE.networkTraffic, { is_active: true, start: T })], invalid: [variant(BASE.networkTraffic, { is_active: true, start: T, end: T })] },
  { rule: 'process-content', valid: [BASE.process], invalid: [variant(BASE.process, { pid: undefined })] },
  { rule: 'x509-content', valid: [{ type: 'x509-certificate', id: 'x509-certificate--7db68b55-128a-4e8f-b41a-ec755a582b4a', subject: 'CN=a' }], invalid: [{ type: 'x509-certificate', id: 'x509-certificate--7db68b55-128a-4e8f-b41a-ec755a582b4a' }] },
  { rule: 'email-multipart-content', valid: [{ type: 'email-message', id: 'email-message--7db68b55-128a-4e8f-b41a-ec755a582b4a', is_multipart: false, body: 'hi' }], invalid: [{ type: 'email-message', id: 'email-message--7db68b55-128a-4e8f-b41a-ec755a582b4a', is_multipart: true, body: 'hi' }] },
  { rule: 'mime-part-content', valid: [{ type: 'email-message', id: 'email-message--7db68b55-128a-4e8f-b41a-ec755a582b4a', is_multipart: true, body_multipart: [{ body: 'hi' }] }], invalid: [{ type: 'email-message', id: 'email-message--7db68b55-128a-4e8f-b41a-ec755a582b4a', is_multipart: true, body_multipart: [{ content_type: 'text/plain' }] }] },
  { rule: 'external-reference-content', valid: [variant(BASE.identity, { external_references: [{ source_name: 'acme', external_id: 'A-1' }] })], invalid: [variant(BASE.identity, { external_references: [{ source_name: 'acme' }] })] },
  { rule: 'external-id-format', valid: [variant(BASE.identity, { external_references: [{ source_name: 'cve', external_id: 'CVE-2021-44228' }] })], invalid: [variant(BASE.identity, { external_references: [{ source_name: 'capec', external_id: 'T1068' }] })] },
  { rule: 'granular-marking-content', valid: [variant(BASE.identity, { granular_markings: [{ selectors: ['name'], lang: 'en' }] })], invalid: [variant(BASE.identity, { granular_markings: [{ selectors: ['name'], lang: 'en', marking_ref: IDS.marking }] })] },
  { rule: 'extension-properties-only-toplevel', valid: [variant(BASE.extensionDefinition, { extension_types: ['toplevel-property-extension'], extension_properties: ['x_a'] })], invalid: [variant(BASE.extensionDefinition, { extension_properties: ['x_a'] })] },
  { rule: 'binary-value', valid: [BASE.artifact], invalid: [variant(BASE.artifact, { payload_bin: 'not base64!' })] },
  { rule: 'hex-value', valid: [variant(BASE.file, { magic_number_hex: 'FFD8' })], invalid: [variant(BASE.file, { magic_number_hex: 'FFD' })] },
  { rule: 'ipv4-value', valid: [BASE.ipv4, variant(BASE.ipv4, { value: '198.51.100.0/24' })], invalid: [variant(BASE.ipv4, { value: '198.51.100.256' })] },
  { rule: 'ipv6-value', valid: [{ type: 'ipv6-addr', id: 'ipv6-addr--7db68b55-128a-5e8f-b41a-ec755a582b4a', value: '2001:db8::1/64' }], invalid: [{ type: 'ipv6-addr', id: 'ipv6-addr--7db68b55-128a-5e8f-b41a-ec755a582b4a', value: '2001:db8:::1' }] },
  { rule: 'mac-value', valid: [{ type: 'mac-addr', id: 'mac-addr--7db68b55-128a-5e8f-b41a-ec755a582b4a', value: '00:00:5e:00:53:01' }], invalid: [{ type: 'mac-addr', id: 'mac-addr--7db68b55-128a-5e8f-b41a-ec755a582b4a', value: '00-00-5E-00-53-01' }] },
  { rule: 'cpe-format', valid: [{ type: 'software', id: 'software--7db68b55-128a-5e8f-b41a-ec755a582b4a', name: 'Word', cpe: 'cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*' }], invalid: [{ type: 'software', id: 'software--7db68b55-128a-5e8f-b41a-ec755a582b4a', name: 'Word', cpe: 'microsoft word' }] },
  { rule: 'relationship-type-format', valid: [BASE.relationship], invalid: [variant(BASE.relationship, { relationship_type: 'Indicates' })] },
  { rule: 'url-format', valid: [{ type: 'url', id: 'url--7db68b55-128a-5e8f-b41a-ec755a582b4a', value: 'https://example.com/a?b=c' }], invalid: [{ type: 'url', id: 'url--7db68b55-128a-5e8f-b41a-ec755a582b4a', value: 'example.com' }] },
  { rule: 'domain-name-value', valid: [{ type: 'domain-name', id: 'domain-name--7db68b55-128a-5e8f-b41a-ec755a582b4a', value: 'bücher.example' }, { type: 'domain-name', id: 'domain-name--7db68b55-128a-5e8f-b41a-ec755a582b4a', value: '_sip._tcp.example.com.' }], invalid: [{ type: 'domain-name', id: 'domain-name--7db68b55-128a-5e8f-b41a-ec755a582b4a', value: 'http://example.com/' }, { type: 'domain-name', id: 'domain-name--7db68b55-128a-5e8f-b41a-ec755a582b4a', value: 'a..b' }, { type: 'domain-name', id: 'domain-name--7db68b55-128a-5e8f-b41a-ec755a582b4a', value: `${'a'.repeat(64)}.com` }] },
  { rule: 'email-format', valid: [{ type: 'email-addr', id: 'email-addr--7db68b55-128a-5e8f-b41a-ec755a582b4a', value: 'a@example.com' }], invalid: [{ type: 'email-addr', id: 'email-addr--7db68b55-128a-5e8f-b41a-ec755a582b4a', value: 'not an address' }] },
];
