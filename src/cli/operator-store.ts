/**
 * What the operator commands (import, export, stats) share: the configuration they are given
 * (`--config`, as for `serve`) and the store it names, opened for the length of one command.
 *
 * The store is the same one a running server uses: several processes may share a SQLite file
 * (WAL) or a MongoDB database, so these commands work while the server runs.
 */
import type winston from 'winston';
import { systemClock } from '../clock';
import { ConfigError } from '../config/errors';
import { loadConfigFile, resolveConfigPath } from '../config/load';
import type { TaxiwayConfig } from '../config/types';
import { createLogger } from '../logging';
import { createStore } from '../store';
import type { Store } from '../store/store';

/** The configuration named by `--config` (else $TAXIWAY_CONFIG, else the default), or undefined after reporting why not. */
export function loadOperatorConfig(file: string | undefined, err: NodeJS.WritableStream): TaxiwayConfig | undefined {
  try {
    return loadConfigFile(resolveConfigPath(file));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    err.write(`${error.message}\n`);
    return undefined;
  }
}

/**
 * A logger that only speaks up about problems, on stderr: winston's console transport writes
 * levels below warn to stdout, where `taxiway export` writes its data.
 */
export function operatorLogger(config: TaxiwayConfig): winston.Logger {
  return createLogger({ log_level: 'warn', log_format: config.server.log_format });
}

/**
 * Opens the configured store, runs `work` and closes the store whatever happens. A store that
 * cannot be opened is reported on `err` and gives `unavailableExit`.
 */
export async function withConfiguredStore(
  config: TaxiwayConfig,
  err: NodeJS.WritableStream,
  unavailableExit: number,
  work: (store: Store, logger: winston.Logger) => Promise<number>,
): Promise<number> {
  const logger = operatorLogger(config);
  // The system clock, as `serve` uses: date_added values stay in step with a running server's.
  const store = createStore(config.store, logger, { clock: systemClock });
  try {
    await store.open();
  } catch (error) {
    err.write(`cannot open the ${config.store.type} store: ${error instanceof Error ? error.message : String(error)}\n`);
    await store.close().catch(() => undefined);
    return unavailableExit;
  }
  try {
    return await work(store, logger);
  } finally {
    await store.close();
  }
}
