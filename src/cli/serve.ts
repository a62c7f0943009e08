/**
 * `taxiway serve`: one process, or a primary and N workers (`--workers N|auto`, node:cluster).
 * SIGHUP (or `taxiway reload`) re-reads the configuration; SIGTERM and SIGINT stop gracefully,
 * and a second one stops at once.
 */
import { availableParallelism } from 'node:os';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type winston from 'winston';
import { startInstance } from '../cluster/instance';
import { runPrimary } from '../cluster/primary';
import { readForReload, withOverrides, type CommandLineOverrides } from '../cluster/reload';
import type { TaxiwayConfig } from '../config/types';
import { createLogger } from '../logging';
import { consoleStartupProblems } from '../console';

export interface ServeOptions extends CommandLineOverrides {
  configPath: string;
  config: TaxiwayConfig;
  warnings: string[];
}

export function workerCount(workers: number | 'auto'): number {
  return workers === 'auto' ? Math.max(1, availableParallelism()) : workers;
}

export async function serve(options: ServeOptions): Promise<number> {
  const config = withOverrides(options.config, options);
  const logger = createLogger(config.server);
  for (const warning of options.warnings) logger.warn(warning);
  const workers = workerCount(config.server.workers);
  const problems = consoleStartupProblems(config, workers);
  if (problems.length > 0) {
    for (const problem of problems) logger.error(problem);
    return 2;
  }
  const pidFile = config.server.pid_file;
  if (pidFile !== undefined) writeFileSync(pidFile, `${process.pid}\n`);
  try {
    if (workers > 1) return await runPrimary({ config, configPath: options.configPath, overrides: options, workers, logger });
    return await serveAlone(config, options, logger);
  } finally {
    if (pidFile !== undefined) rmSync(pidFile, { force: true });
  }
}

async function serveAlone(config: TaxiwayConfig, options: ServeOptions, logger: winston.Logger): Promise<number> {
  const instance = await startInstance(config, { logger });
  logger.info(`taxiway listening on ${instance.url} (discovery at ${config.server.public_base_url ?? instance.url}/taxii2/)`, { store: config.store.type });
  process.on('SIGHUP', () => {
    logger.info(`SIGHUP: reloading ${options.configPath}`);
    const next = readForReload(options.configPath, options, logger);
    if (next === undefined) instance.reloadRefused();
    else instance.reload(next);
  });
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) {
        logger.warn(`${signal} again: stopping at once`);
        resolve(1);
        return;
      }
      stopping = true;
      logger.info(`${signal} received: finishing requests in flight (up to ${config.server.shutdown_grace_seconds} s), then stopping`);
      instance.stop().then(
        () => resolve(0),
        (error: unknown) => {
          logger.error(`stop failed: ${error instanceof Error ? error.message : String(error)}`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

/**
 * Sends a signal to the server whose process id is in the configuration's `server.pid_file`.
 * Returns the exit code: 0 sent, 2 when the file is not configured, unreadable or stale.
 */
export function signalRunningServer(config: TaxiwayConfig, signal: NodeJS.Signals, out: NodeJS.WritableStream = process.stderr): number {
  const pidFile = config.server.pid_file;
  if (pidFile === undefined) {
    out.write('server.pid_file is not set in the configuration: send SIGHUP to the server process yourself (kill -HUP <pid>)\n');
    return 2;
  }
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch (error) {
    out.write(`cannot read ${pidFile}: ${error instanceof Error ? error.message : String(error)} (is the server running?)\n`);
    return 2;
  }
  if (!Number.isInteger(pid) || pid <= 0) {
    out.write(`${pidFile} does not hold a process id\n`);
    return 2;
  }
  try {
    process.kill(pid, signal);
  } catch (error) {
    out.write(`cannot signal process ${pid} from ${pidFile}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  out.write(`sent ${signal} to taxiway (process ${pid}); its log says whether the new configuration was applied\n`);
  return 0;
}
