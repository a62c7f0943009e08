import { MongoClient, type MongoClientOptions } from 'mongodb';
import type { Logger } from 'winston';
import { StoreUnavailableError } from '../store';
import { isUnavailableError } from './errors';
import type { ConnectRetryOptions } from './options';
import { redactText, redactUri } from './redact';

/**
 * Defaults that make a vanished database show up as an error within about a second instead of a
 * hung request: server selection gives up after 1 s, and the monitor re-checks every second so
 * the client notices by itself when the database is back.
 */
const FAIL_FAST_DEFAULTS: MongoClientOptions = {
  serverSelectionTimeoutMS: 1000,
  connectTimeoutMS: 2000,
  heartbeatFrequencyMS: 1000,
  socketTimeoutMS: 30_000,
  // Optional fields left undefined (an anonymous status owner, a detail without message) are omitted.
  ignoreUndefined: true,
  appName: 'taxiway',
};

export function createClient(uri: string, clientOptions: Readonly<Record<string, unknown>> | undefined): MongoClient {
  const options = Object.assign({}, FAIL_FAST_DEFAULTS, clientOptions) as MongoClientOptions;
  return new MongoClient(uri, options);
}

/** Connects, retrying with exponential backoff and logging every attempt without credentials. */
export async function connectWithRetries(
  client: MongoClient,
  uri: string,
  retries: ConnectRetryOptions,
  logger: Logger | undefined,
): Promise<void> {
  const target = redactUri(uri);
  let delayMs = retries.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    logger?.info(`connecting to MongoDB at ${target} (attempt ${attempt} of ${retries.attempts})`);
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      logger?.info(`connected to MongoDB at ${target}`);
      return;
    } catch (error) {
      const reason = redactText(error instanceof Error ? error.message : String(error), uri);
      if (!isUnavailableError(error) || attempt >= retries.attempts) {
        logger?.error(`could not connect to MongoDB at ${target}: ${reason}`);
        throw new StoreUnavailableError(`could not connect to MongoDB at ${target}: ${reason}`);
      }
      logger?.warn(`MongoDB at ${target} not reachable (${reason}); retrying in ${delayMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, retries.maxDelayMs);
    }
  }
}
