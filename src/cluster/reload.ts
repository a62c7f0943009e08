import type winston from 'winston';
import { ConfigError } from '../config/errors';
import { loadConfigFile } from '../config/load';
import type { TaxiwayConfig } from '../config/types';

/** Settings given on the command line, which win over the file at start and at every reload. */
export interface CommandLineOverrides {
  host?: string;
  port?: number;
  workers?: number | 'auto';
}

export function withOverrides(config: TaxiwayConfig, overrides: CommandLineOverrides): TaxiwayConfig {
  return {
    ...config,
    server: {
      ...config.server,
      host: overrides.host ?? config.server.host,
      port: overrides.port ?? config.server.port,
      workers: overrides.workers ?? config.server.workers,
    },
  };
}

/**
 * Re-reads and validates the configuration file for a reload. An invalid file is refused with every
 * problem logged, and undefined is returned: the running configuration stays.
 */
export function readForReload(path: string, overrides: CommandLineOverrides, logger: winston.Logger): TaxiwayConfig | undefined {
  try {
    return withOverrides(loadConfigFile(path), overrides);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    logger.error(`configuration reload refused, the running configuration stays: ${error.message}`);
    return undefined;
  }
}
