/**
 * The primary of `taxiway serve --workers N`: forks N workers that share the listening port
 * (node:cluster), validates the configuration once on SIGHUP and hands it to every worker,
 * aggregates the workers' metrics for /_metrics/, restarts a worker that dies, and on SIGTERM or
 * SIGINT asks every worker to drain and waits for them (a second signal stops them at once).
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { startThrottlePrimary } from '../auth/throttle';
import type winston from 'winston';
import type { TaxiwayConfig } from '../config/types';
import { isWorkerMessage, type PrimaryMessage } from './messages';
import { readForReload, type CommandLineOverrides } from './reload';

/** A worker dying this often within a minute means something is wrong: stop instead of looping. */
const MAX_RESTARTS_PER_MINUTE = 5;

export interface PrimaryOptions {
  config: TaxiwayConfig;
  configPath: string;
  overrides: CommandLineOverrides;
  workers: number;
  logger: winston.Logger;
}

export function runPrimary(options: PrimaryOptions): Promise<number> {
  const { logger } = options;
  let config = options.config;
  let stopping = false;
  const restarts: number[] = [];
  const aggregator = new AggregatorRegistry();
  // The workers' login throttles keep their counters here, so a client is throttled by all of them.
  startThrottlePrimary();
  const send = (worker: Worker, message: PrimaryMessage): void => {
    if (worker.isConnected()) worker.send(message);
  };
  const workers = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);

  return new Promise<number>((resolve) => {
    const fork = (): void => {
      const worker = cluster.fork();
      worker.once('online', () => send(worker, { type: 'taxiway:start', config }));
      worker.on('message', (message: unknown) => {
        if (!isWorkerMessage(message)) return;
        aggregator.clusterMetrics().then(
          (text) => send(worker, { type: 'taxiway:metrics-response', requestId: message.requestId, text }),
          (error: unknown) => send(worker, { type: 'taxiway:metrics-response', requestId: message.requestId, error: String(error) }),
        );
      });
    };
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) {
        if (workers().length === 0) resolve(0);
        return;
      }
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && restarts[0] < now - 60_000) restarts.shift();
      if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
        logger.error(`workers keep dying (${restarts.length} in a minute); stopping`);
        stopping = true;
        for (const w of workers()) w.kill();
        resolve(1);
        return;
      }
      logger.error(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
      fork();
    });

    process.on('SIGHUP', () => {
      logger.info(`SIGHUP: reloading ${options.configPath}`);
      const next = readForReload(options.configPath, options.overrides, logger);
      if (next === undefined) return;
      config = next;
      logger.level = next.server.log_level;
      for (const worker of workers()) send(worker, { type: 'taxiway:reload', config: next });
    });
    const stop = (signal: string): void => {
      if (stopping) {
        logger.warn(`${signal} again: stopping the workers at once`);
        for (const worker of workers()) worker.process.kill('SIGKILL');
        resolve(1);
        return;
      }
      stopping = true;
      const graceMs = config.server.shutdown_grace_seconds * 1000;
      logger.info(`${signal} received: the workers finish their requests in flight (up to ${config.server.shutdown_grace_seconds} s), then stop`);
      for (const worker of workers()) send(worker, { type: 'taxiway:stop' });
      // Workers that do not stop in time (a hung store) are stopped for them.
      setTimeout(() => {
        for (const worker of workers()) worker.process.kill('SIGKILL');
      }, graceMs + 10_000).unref();
      if (workers().length === 0) resolve(0);
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));

    for (let i = 0; i < options.workers; i++) fork();
    logger.info(`taxiway primary ${process.pid} started ${options.workers} workers`);
  });
}
