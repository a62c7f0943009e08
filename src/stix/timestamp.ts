/**
 * Timestamps in Taxiway.
 *
 * STIX and TAXII timestamps are RFC 3339 UTC instants ending in `Z`. Clients send them with 0 to 6
 * (STIX: any number of) fractional digits; Taxiway compares them as instants and always emits the
 * canonical TAXII form `YYYY-MM-DDTHH:MM:SS.ffffffZ` (exactly six digits). Because that canonical
 * form has a fixed width, comparing two canonical strings orders them in time: both stores rely on
 * this to index versions and `date_added` as plain strings.
 */

const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

export interface ParsedTimestamp {
  /** Canonical form with exactly six fractional digits. */
  canonical: string;
  /** Number of fractional digits as written. */
  fractionDigits: number;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parses an RFC 3339 UTC timestamp (`Z` only) and checks it is a real calendar instant.
 * `maxFractionDigits` limits the fraction (6 for TAXII query parameters; STIX allows more).
 * Returns undefined when the text is not such a timestamp.
 */
export function parseTimestamp(text: string, maxFractionDigits = Infinity): ParsedTimestamp | undefined {
  const m = TIMESTAMP_RE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = ''] = m;
  if (frac.length > maxFractionDigits) return undefined;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  // A leap second (60) is allowed by RFC 3339 but not representable as an instant; refuse it.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const six = (frac + '000000').slice(0, 6);
  return {
    canonical: `${y}-${mo}-${d}T${h}:${mi}:${s}.${six}Z`,
    fractionDigits: frac.length,
  };
}

/** Canonical six-digit form of a timestamp, or undefined when it is not one. */
export function canonicalTimestamp(text: string): string | undefined {
  return parseTimestamp(text)?.canonical;
}

/** Microseconds since the Unix epoch of a canonical timestamp, as a bigint (exact for any year). */
export function timestampToMicros(canonical: string): bigint {
  const millis = Date.parse(canonical.slice(0, 19) + 'Z');
  const micros = BigInt(canonical.slice(20, 26));
  return BigInt(millis) * 1000n + micros;
}

/** The last whole second formatted, since an ingest formats thousands of values within one second. */
let cachedSecond: bigint | undefined;
let cachedPrefix = '';

/** Canonical timestamp of a microsecond count since the epoch. */
export function microsToTimestamp(micros: bigint): string {
  // Floor division, so instants before 1970 keep a positive fraction.
  const second = micros >= 0n ? micros / 1_000_000n : -((-micros + 999_999n) / 1_000_000n);
  if (second !== cachedSecond) {
    cachedPrefix = new Date(Number(second) * 1000).toISOString().slice(0, 19); // YYYY-MM-DDTHH:MM:SS
    cachedSecond = second;
  }
  return `${cachedPrefix}.${String(Number(micros - second * 1_000_000n)).padStart(6, '0')}Z`;
}
