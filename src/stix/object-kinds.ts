/**
 * What STIX 2.1 defines: the built-in object types by category, the predefined SCO extensions and the
 * ID-contributing properties of each SCO. Everything here is a fact from the specification; the rules
 * that use these facts live in `rules/`.
 */

/** STIX 2.1 section 4: the 19 STIX Domain Objects. */
export const SDO_TYPES: ReadonlySet<string> = new Set([
  'attack-pattern', 'campaign', 'course-of-action', 'grouping', 'identity', 'incident', 'indicator',
  'infrastructure', 'intrusion-set', 'location', 'malware', 'malware-analysis', 'note', 'observed-data',
  'opinion', 'report', 'threat-actor', 'tool', 'vulnerability',
]);

/** STIX 2.1 section 5: the STIX Relationship Objects. */
export const SRO_TYPES: ReadonlySet<string> = new Set(['relationship', 'sighting']);

/** STIX 2.1 section 6: the 18 STIX Cyber-observable Objects. */
export const SCO_TYPES: ReadonlySet<string> = new Set([
  'artifact', 'autonomous-system', 'directory', 'domain-name', 'email-addr', 'email-message', 'file',
  'ipv4-addr', 'ipv6-addr', 'mac-addr', 'mutex', 'network-traffic', 'process', 'software', 'url',
  'user-account', 'windows-registry-key', 'x509-certificate',
]);

/** STIX 2.1 section 7: the STIX Meta Objects. */
export const META_TYPES: ReadonlySet<string> = new Set(['language-content', 'marking-definition', 'extension-definition']);

export type ObjectKind = 'sdo' | 'sro' | 'sco' | 'meta' | 'bundle' | 'custom-sdo' | 'custom-sco';

/** The predefined SCO extensions (STIX 2.1 section 6) and the one SCO type each may extend. */
export const PREDEFINED_EXTENSIONS: ReadonlyMap<string, string> = new Map([
  ['archive-ext', 'file'], ['ntfs-ext', 'file'], ['pdf-ext', 'file'], ['raster-image-ext', 'file'],
  ['windows-pebinary-ext', 'file'], ['http-request-ext', 'network-traffic'], ['icmp-ext', 'network-traffic'],
  ['socket-ext', 'network-traffic'], ['tcp-ext', 'network-traffic'], ['windows-process-ext', 'process'],
  ['windows-service-ext', 'process'], ['unix-account-ext', 'user-account'],
]);

/**
 * ID-contributing properties of each SCO type (STIX 2.1 section 6, "ID Contributing Properties").
 * Process defines none, so its ids are always UUIDv4 (section 6.13).
 */
export const ID_CONTRIBUTING_PROPERTIES: ReadonlyMap<string, readonly string[]> = new Map([
  ['artifact', ['hashes', 'payload_bin']],
  ['autonomous-system', ['number']],
  ['directory', ['path']],
  ['domain-name', ['value']],
  ['email-addr', ['value']],
  ['email-message', ['from_ref', 'subject', 'body']],
  ['file', ['hashes', 'name', 'extensions', 'parent_directory_ref']],
  ['ipv4-addr', ['value']],
  ['ipv6-addr', ['value']],
  ['mac-addr', ['value']],
  ['mutex', ['name']],
  ['network-traffic', ['start', 'end', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'extensions']],
  ['process', []],
  ['software', ['name', 'cpe', 'swid', 'vendor', 'version']],
  ['url', ['value']],
  ['user-account', ['account_type', 'user_id', 'account_login']],
  ['windows-registry-key', ['key', 'values']],
  ['x509-certificate', ['hashes', 'serial_number']],
]);

/**
 * STIX 2.1 section 3.1 ("type"): a-z, 0-9 and hyphen, 3 to 250 characters, no two hyphens in a row.
 * Like the OASIS schemas, Taxiway also requires the first character to be a letter.
 */
const TYPE_NAME = /^[a-z][a-z0-9-]{2,249}$/;

export function isValidTypeName(type: string): boolean {
  return TYPE_NAME.test(type) && !type.includes('--');
}

/** Type names reserved by STIX 2.1 section 3.1 for future use. */
export const RESERVED_TYPE_NAMES: ReadonlySet<string> = new Set(['action']);

export function isBuiltInType(type: string): boolean {
  return SDO_TYPES.has(type) || SRO_TYPES.has(type) || SCO_TYPES.has(type) || META_TYPES.has(type) || type === 'bundle';
}

/**
 * Category of an object. A custom type declared by an extension definition is what the extension
 * says (`new-sco` an SCO; `new-sdo` and `new-sro` get the SDO/SRO common properties, which they
 * share). An undeclared custom type is an SCO when it has neither `created` nor `modified` (the
 * rule the OASIS validator uses), and an SDO otherwise.
 */
export function classifyObject(type: string, object: Readonly<Record<string, unknown>>, declaredNewObjectType: string | undefined): ObjectKind {
  if (SDO_TYPES.has(type)) return 'sdo';
  if (SRO_TYPES.has(type)) return 'sro';
  if (SCO_TYPES.has(type)) return 'sco';
  if (META_TYPES.has(type)) return 'meta';
  if (type === 'bundle') return 'bundle';
  if (declaredNewObjectType === 'new-sco') return 'custom-sco';
  if (declaredNewObjectType === 'new-sdo' || declaredNewObjectType === 'new-sro') return 'custom-sdo';
  return object.created === undefined && object.modified === undefined ? 'custom-sco' : 'custom-sdo';
}

export function isScoKind(kind: ObjectKind): boolean {
  return kind === 'sco' || kind === 'custom-sco';
}
