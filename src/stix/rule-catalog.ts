/**
 * Every rule Taxiway's validator reports, with the requirement level and the STIX 2.1 section that
 * decides it. `docs/validation.md` documents the same list, and the tests check that each rule has a
 * valid and an invalid fixture and a line in the documentation.
 */

export type Requirement = 'MUST' | 'SHOULD' | 'POLICY';

export interface RuleDescription {
  id: string;
  requirement: Requirement;
  /** 'warning' for SHOULDs (never a rejection); 'error' otherwise. */
  severity: 'error' | 'warning';
  /** Where it is checked: a JSON Schema in schemas/stix, or code in src/stix/rules. */
  source: 'schema' | 'code';
  section: string;
  summary: string;
}

const must = (id: string, source: 'schema' | 'code', section: string, summary: string): RuleDescription => ({ id, requirement: 'MUST', severity: 'error', source, section, summary });
const should = (id: string, section: string, summary: string): RuleDescription => ({ id, requirement: 'SHOULD', severity: 'warning', source: 'code', section, summary });
const strict = (id: string, section: string, summary: string): RuleDescription => ({ id, requirement: 'POLICY', severity: 'error', source: 'code', section, summary });

export const RULES: readonly RuleDescription[] = [
  must('json-object', 'code', '§3.2 Common Properties', 'an object is a JSON object'),
  { id: 'nesting-depth', requirement: 'POLICY', severity: 'error', source: 'code', section: 'Taxiway limit (not in STIX)', summary: 'an object nests at most 64 levels deep' },
  must('required-property', 'schema', 'each type’s section (§3.2, §4-§8)', 'required properties are present'),
  must('property-type', 'schema', '§2 Common Data Types', 'each property has its data type'),
  must('allowed-value', 'schema', '§3.2 type, §4.15 opinion, §6 enumerations', 'constants and enumerations have an allowed value'),
  must('value-range', 'schema', '§3.2 confidence, §4.10, §4.14, §5.2, §6.12', 'numbers are within their range'),
  must('non-empty', 'schema', '§2.3 Dictionary, §2.12 List', 'lists and dictionaries are not empty'),
  must('dependent-property', 'schema', '§4.10, §6.1, §7.2.1', 'a property that needs another has it (latitude/longitude, url/hashes, ...)'),
  must('dictionary-key', 'schema', '§2.3 Dictionary', 'dictionary keys are 1-250 characters of a-z, A-Z, 0-9, - and _'),
  must('timestamp', 'schema', '§2.15 Timestamp', 'timestamps are real calendar instants in RFC 3339 UTC with Z'),
  must('timestamp-precision', 'schema', '§3.2 created, modified', 'created and modified are precise to the millisecond'),
  must('identifier', 'schema', '§2.9 Identifier', 'identifiers are <type>--<RFC 4122 UUID> (version 1-5, variant 10xx)'),
  must('identifier-type-prefix', 'code', '§2.9 Identifier', 'the id prefix is the object’s type'),
  must('uuid-v4-required', 'code', '§2.9 Identifier, §6.13 Process', 'process ids, and SCOs with none of their ID-contributing properties, use UUIDv4'),
  should('uuid-version-recommended', '§2.9 Identifier', 'UUIDv4 for SDOs, SROs, meta objects and bundles; UUIDv5 for other SCOs'),
  should('identifier-lowercase', '§2.9 Identifier (RFC 4122 §3)', 'UUID hex digits are lower case'),
  must('spec-version', 'code', '§3.2 spec_version', 'SDOs, SROs and meta objects state spec_version 2.1; without it they are STIX 2.0, accepted only where the collection accepts 2.0'),
  must('modified-not-before-created', 'code', '§3.2 modified', 'modified >= created'),
  must('last-seen-not-before-first-seen', 'code', '§4.2, §4.8, §4.9, §4.11, §4.17, §5.2', 'last_seen >= first_seen'),
  must('valid-until-after-valid-from', 'code', '§4.7 Indicator', 'valid_until > valid_from'),
  must('last-observed-not-before-first-observed', 'code', '§4.14 Observed Data', 'last_observed >= first_observed'),
  must('stop-time-after-start-time', 'code', '§5.1 Relationship', 'stop_time > start_time'),
  must('end-not-before-start', 'code', '§6.12 Network Traffic', 'end >= start'),
  must('custom-type-name', 'code', '§3.1, §11.2 Custom Objects', 'custom type names: a-z, 0-9, hyphen, 3-250 characters, no "--", starting with a letter'),
  must('reserved-type', 'code', '§3.1', 'the type name "action" is reserved'),
  strict('unknown-type', '§7.3 Extension Definition', 'strict: a type that is not STIX 2.1 needs a new-sdo/new-sco/new-sro extension'),
  should('custom-type-prefix', '§11.2 Custom Objects', 'custom types not declared by an extension start with x-'),
  must('custom-property-name', 'code', '§11.1 Custom Properties', 'custom property names: a-z, 0-9 and _, 3-250 characters'),
  must('reserved-property', 'code', '§3.1 (reserved property names)', 'severity, action, username and phone_numbers are reserved'),
  strict('unknown-property', '§7.3 Extension Definition', 'strict: a property the type does not define needs a toplevel-property-extension'),
  should('custom-property-prefix', '§11.1 Custom Properties', 'custom properties not declared by an extension start with x_'),
  should('custom-reference', '§2.9, §3.1 (the _ref/_refs naming convention)', 'a custom property ending in _ref/_refs holds identifiers'),
  must('reference-type', 'schema', 'each reference property’s section (§3.2, §4-§7)', 'references point to objects of the allowed types'),
  must('granular-marking-selector', 'code', '§7.2.3 Granular Markings', 'selectors resolve to content of the object'),
  must('marking-circular-reference', 'code', '§7.2.1 Marking Definition', 'a marking definition does not mark itself'),
  must('tlp-marking', 'code', '§7.2.1.4 TLP Marking', 'TLP 1.0 markings are exactly the four objects the spec defines'),
  must('hash-value', 'schema', '§2.7 Hashes, §10.12 hash-algorithm-ov', 'values of vocabulary hash algorithms have that algorithm’s format'),
  should('hash-algorithm-name', '§2.7 Hashes, §10.12 hash-algorithm-ov', 'hash algorithm names are spelled as in the vocabulary'),
  must('language-tag', 'code', '§3.2 lang, §7.1, §7.2.3', 'language codes are RFC 5646 tags'),
  must('extension-key', 'code', '§3.2 extensions, §6 predefined extensions, §7.3', 'extension keys are extension-definition ids or the predefined extensions of the SCO type'),
  must('extension-type', 'code', '§7.3 Extension Definition', 'new-sdo/new-sco/new-sro extensions only on new object types'),
  strict('unknown-extension', '§11.3', 'strict: custom (non extension-definition) SCO extensions are refused'),
  should('custom-extension', '§11.3', 'custom SCO extensions should be extension definitions'),
  must('pattern-syntax', 'code', '§9 STIX Patterning', 'STIX patterns parse'),
  must('pattern-object-type', 'code', '§9 STIX Patterning', 'pattern object types are valid type names'),
  must('pattern-property', 'code', '§9 STIX Patterning', 'pattern properties are properties of the SCO or valid custom property names'),
  should('deprecated-property', '§4.14 Observed Data', 'observed-data objects is deprecated'),
  must('location-content', 'schema', '§4.10 Location', 'region, country, or latitude and longitude'),
  must('malware-analysis-content', 'schema', '§4.12 Malware Analysis', 'result or analysis_sco_refs'),
  must('observed-data-content', 'schema', '§4.14 Observed Data', 'exactly one of objects and object_refs'),
  must('artifact-content', 'schema', '§6.1 Artifact', 'not both payload_bin and url'),
  must('file-content', 'schema', '§6.7 File', 'hashes or name'),
  must('network-traffic-content', 'schema', '§6.12 Network Traffic', 'src_ref or dst_ref'),
  must('network-traffic-active-end', 'schema', '§6.12 Network Traffic', 'no end when is_active is true'),
  must('process-content', 'schema', '§6.13 Process', 'at least one property besides type and id'),
  must('x509-content', 'schema', '§6.18 X.509 Certificate', 'at least one property besides type and id'),
  must('email-multipart-content', 'schema', '§6.6 Email Message', 'body only when not multipart, body_multipart only when multipart'),
  must('mime-part-content', 'schema', '§6.6 Email Message (MIME component)', 'body or body_raw_ref'),
  must('external-reference-content', 'schema', '§2.5 External Reference', 'description, url or external_id besides source_name'),
  must('external-id-format', 'schema', '§2.5 External Reference', 'cve and capec sources use CVE-… and CAPEC-… ids'),
  must('granular-marking-content', 'schema', '§7.2.3 Granular Markings', 'exactly one of marking_ref and lang'),
  must('extension-properties-only-toplevel', 'schema', '§7.3 Extension Definition', 'extension_properties only with toplevel-property-extension'),
  must('binary-value', 'schema', '§2.1 Binary', 'binary values are base64'),
  must('hex-value', 'schema', '§2.8 Hex', 'hex values are an even number of hex digits'),
  must('ipv4-value', 'schema', '§6.8 IPv4 Address', 'IPv4 address or CIDR block'),
  must('ipv6-value', 'schema', '§6.9 IPv6 Address', 'IPv6 address or CIDR block'),
  must('mac-value', 'schema', '§6.10 MAC Address', 'lower-case colon-separated MAC-48'),
  must('cpe-format', 'schema', '§6.14 Software', 'CPE 2.3 formatted string'),
  must('relationship-type-format', 'schema', '§5.1 Relationship', 'relationship_type is a-z, 0-9 and hyphen'),
  must('url-format', 'schema', '§2.5, §6.1, §6.15 URL', 'URLs are RFC 3986 URIs'),
  must('domain-name-value', 'schema', '§6.4 Domain Name', 'domain names are dot-separated labels of 1-63 characters, at most 253 in all'),
  must('email-format', 'schema', '§6.5 Email Address', 'email addresses are addr-spec (RFC 5322)'),
];

