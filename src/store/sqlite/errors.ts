/**
 * Turns SQLite failures that mean "the database cannot serve right now" into
 * `StoreUnavailableError` (HTTP 503); anything else is a bug and propagates unchanged.
 */
import { StoreUnavailableError } from '../store';

/** SQLite result codes (primary part) that describe the database, not the request. */
const UNAVAILABLE_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_PERM',
  'SQLITE_PROTOCOL',
]);

function sqliteCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** True for an error that means the database is unreachable, locked, full or damaged. */
export function isUnavailable(error: unknown): boolean {
  const code = sqliteCode(error);
  if (code === undefined || !code.startsWith('SQLITE_')) return false;
  // Extended codes such as SQLITE_IOERR_SHORT_READ or SQLITE_BUSY_SNAPSHOT share the primary prefix.
  const primary = code.split('_').slice(0, 2).join('_');
  return UNAVAILABLE_CODES.has(primary);
}

export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  if (isUnavailable(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new StoreUnavailableError(`SQLite store unavailable: ${message}`, { cause: error });
  }
  return error;
}
