import {
  MongoBulkWriteError,
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  MongoWriteConcernError,
} from 'mongodb';
import { StoreUnavailableError } from '../store';

/**
 * Server error codes that mean "the database cannot serve us right now" rather than "the request
 * is wrong": host unreachable/not found, network timeout, shutdown, step-down, not primary,
 * write-concern timeout, exceeded time limit.
 */
const UNAVAILABLE_CODES = new Set([6, 7, 50, 64, 89, 91, 189, 262, 10107, 11600, 11602, 13435, 13436]);

export function isUnavailableError(error: unknown): boolean {
  if (
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNetworkError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError
  ) {
    return true;
  }
  if (error instanceof MongoWriteConcernError || missedWriteConcern(error)) return true;
  // A bulk write that failed in the driver (a socket timeout, a dropped connection) wraps the
  // driver's error in `errorResponse` instead of reporting a server error code.
  if (error instanceof MongoBulkWriteError && error.errorResponse instanceof Error && error.errorResponse !== error) {
    return isUnavailableError(error.errorResponse);
  }
  if (error instanceof MongoServerError && typeof error.code === 'number' && UNAVAILABLE_CODES.has(error.code)) {
    return true;
  }
  return error instanceof MongoError && (error.hasErrorLabel('NetworkError') || error.hasErrorLabel('ResetPool'));
}

/** A bulk write whose writes were applied but not acknowledged with the requested write concern. */
function missedWriteConcern(error: unknown): boolean {
  return error instanceof MongoBulkWriteError && (error.err !== undefined || error.result?.getWriteConcernError() !== undefined);
}

const DUPLICATE_KEY = 11000;

export function isDuplicateKeyError(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

/**
 * The input positions an unordered bulk insert refused as duplicate keys, when that is all that
 * went wrong (everything else was inserted); undefined for any other failure.
 */
export function duplicateKeyPositions(error: unknown): number[] | undefined {
  // Documents inserted but perhaps not replicated as asked are no success either.
  if (!(error instanceof MongoBulkWriteError) || missedWriteConcern(error)) return undefined;
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  if (writeErrors.length === 0 || writeErrors.some((writeError) => writeError.code !== DUPLICATE_KEY)) return undefined;
  return writeErrors.map((writeError) => writeError.index);
}

/** Runs a database operation, turning connectivity failures into `StoreUnavailableError`. */
export async function unlessUnavailable<T>(operation: () => Promise<T>, redact: (text: string) => string): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isUnavailableError(error)) {
      const message = error instanceof Error ? error.message : String(error);
      throw new StoreUnavailableError(`MongoDB unavailable: ${redact(message)}`, { cause: error });
    }
    throw error;
  }
}
