import winston from 'winston';
import type { ServerConfig } from './config/types';

/**
 * Winston logger: JSON lines in production, readable lines for development. Secrets never reach
 * it: the Authorization header and passwords are not logged anywhere, and MongoDB URIs are
 * redacted by the store before they are logged.
 */
export function createLogger(config: Pick<ServerConfig, 'log_level' | 'log_format'>, options: { silent?: boolean } = {}): winston.Logger {
  const format =
    config.log_format === 'json'
      ? winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json())
      : winston.format.combine(
          winston.format.timestamp(),
          winston.format.errors({ stack: true }),
          winston.format.colorize(),
          winston.format.printf(({ level, message, timestamp, stack, ...rest }) => {
            const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
            return `${String(timestamp)} ${level} ${String(message)}${extra}${stack ? `\n${String(stack)}` : ''}`;
          }),
        );
  return winston.createLogger({
    level: config.log_level,
    format,
    silent: options.silent,
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn'] })],
  });
}

/** A logger that drops everything, for tests. */
export function silentLogger(): winston.Logger {
  return createLogger({ log_level: 'error', log_format: 'json' }, { silent: true });
}
