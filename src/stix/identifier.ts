/**
 * STIX identifiers: `<object-type>--<UUID>` (STIX 2.1 section 2.9) where the UUID is RFC 4122-compliant.
 * RFC 4122 defines versions 1 to 5 and the variant whose two high bits are `10` (hex digit 8, 9, a or b
 * at the start of the fourth group).
 */

// Parsed by hand around the first `--` rather than with one regex: identifiers are validated for every
// reference of every object, and a single backtracking regex was the validator's hottest spot.
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const TYPE_PREFIX = /^[a-z][a-z0-9-]*$/;
const UUID_LENGTH = 36;

export interface ParsedIdentifier {
  type: string;
  uuid: string;
  /** The UUID version nibble (0-15). */
  version: number;
  /** True when the variant bits are RFC 4122's `10`. */
  rfc4122Variant: boolean;
}

/** Splits an identifier; undefined when it is not `<type>--<8-4-4-4-12 hex>`. */
export function parseIdentifier(text: string): ParsedIdentifier | undefined {
  const separator = text.indexOf('--');
  if (separator < 1 || text.length - separator - 2 !== UUID_LENGTH) return undefined;
  const uuid = text.slice(separator + 2);
  const type = text.slice(0, separator);
  if (!UUID.test(uuid) || !TYPE_PREFIX.test(type)) return undefined;
  const variantNibble = parseInt(uuid[19], 16);
  return { type, uuid, version: parseInt(uuid[14], 16), rfc4122Variant: (variantNibble & 0b1100) === 0b1000 };
}

/** Why a text is not a valid STIX identifier, or undefined when it is one. */
export function identifierProblem(text: string): string | undefined {
  const parsed = parseIdentifier(text);
  if (!parsed) return 'is not of the form <type>--<UUID>';
  if (parsed.type.length < 3 || parsed.type.length > 250) return 'has an invalid type prefix';
  if (!parsed.rfc4122Variant) return 'has a UUID whose variant is not RFC 4122 (the 17th hex digit must be 8, 9, a or b)';
  if (parsed.version < 1 || parsed.version > 5) return `has a UUID of version ${parsed.version}, not an RFC 4122 version (1-5)`;
  return undefined;
}

const HYPHEN = 45;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const LOWER_A = 97;
const LOWER_Z = 122;

function isHexDigit(code: number): boolean {
  return (code >= DIGIT_0 && code <= DIGIT_9) || (code >= LOWER_A && code <= 102) || (code >= 65 && code <= 70);
}

/**
 * Same verdict as `identifierProblem(text) === undefined`, without allocating: this runs for every
 * identifier and reference of every object, so it is written as one pass over the character codes.
 */
export function isValidIdentifier(text: string): boolean {
  const separator = text.indexOf('--');
  if (separator < 3 || separator > 250 || text.length !== separator + 2 + UUID_LENGTH) return false;
  const first = text.charCodeAt(0);
  if (first < LOWER_A || first > LOWER_Z) return false;
  for (let i = 1; i < separator; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= LOWER_A && c <= LOWER_Z) || (c >= DIGIT_0 && c <= DIGIT_9) || c === HYPHEN)) return false;
  }
  const start = separator + 2;
  for (let i = 0; i < UUID_LENGTH; i++) {
    const c = text.charCodeAt(start + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== HYPHEN) return false;
    } else if (!isHexDigit(c)) return false;
  }
  const version = text.charCodeAt(start + 14);
  if (version < 49 || version > 53) return false; // '1'..'5'
  const variant = text.charCodeAt(start + 19) | 0x20; // lower-cased hex letter
  return variant === 56 || variant === 57 || variant === LOWER_A || variant === 98; // 8, 9, a, b
}

/** The type prefix of an identifier (the text before the first `--`). */
export function identifierType(text: string): string {
  const end = text.indexOf('--');
  return end < 0 ? text : text.slice(0, end);
}
