/**
 * One serving process: the process-wide services (store, metrics, clock, validator, login
 * throttle), the HTTP server around them, and what reload and stop mean for it. Used alone
 * (`--workers 1`) and as each worker of a cluster.
 */
import type winston from 'winston';
import cluster from 'node:cluster';
import { createLoginThrottle } from '../auth/throttle';
import { systemClock } from '../clock';
import type { TaxiwayConfig } from '../config/types';
import { instrumentStore, Metrics } from '../metrics/metrics';
import { startMetricsServer, startServer, type RunningServer } from '../server';
import { createStixValidator } from '../stix/validator';
import { createStore } from '../store';
import { consoleSessionKeys, ValidateLimiter } from '../console';
import { StatsService } from '../services/stats';

export interface Instance {
  url: string;
  /** Applies a validated configuration to new requests; logs what needs a restart. */
  reload(config: TaxiwayConfig): void;
  /** Counts a reload refused because the new file was invalid (the old configuration stays). */
  reloadRefused(): void;
  /** Graceful stop: requests in flight finish within the grace period, then the store closes. */
  stop(): Promise<void>;
}

export interface InstanceOptions {
  logger: winston.Logger;
  /** What /_metrics/ serves in a cluster worker: the cluster's metrics, through the primary. */
  metricsText?: (local: Metrics) => () => Promise<string>;
}

export async function startInstance(initial: TaxiwayConfig, options: InstanceOptions): Promise<Instance> {
  const { logger } = options;
  let config = initial;
  // One clock for date_added (the store) and request timestamps (the app).
  const clock = systemClock;
  const metrics = new Metrics();
  const store = instrumentStore(createStore(config.store, logger, { clock }), metrics);
  await store.open();
  metrics.watchStore(store);
  // Once per process: the throttle's counters survive reloads (and are shared with the other
  // workers of a cluster through the primary).
  const throttle = createLoginThrottle(config.auth.throttle, { store: cluster.isWorker ? 'cluster' : 'memory' });
  // Also once per process: the console's random session key (when none is configured), the
  // statistics cache and the validation limits.
  const services = {
    store,
    logger,
    clock,
    metrics,
    throttle,
    metricsText: options.metricsText?.(metrics),
    validator: createStixValidator(),
    consoleKeys: consoleSessionKeys(config, logger),
    stats: new StatsService(store),
    consoleValidateLimiter: new ValidateLimiter(),
  };
  const running = await startServer(config, services).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  let metricsServer: RunningServer | undefined;
  try {
    if (config.metrics.enabled && config.metrics.port !== undefined) metricsServer = await startMetricsServer(config, services);
  } catch (error) {
    await running.stop(0);
    await store.close();
    throw error;
  }
  return {
    url: running.url,
    reload(next) {
      const restartOnly = running.reload(next);
      metricsServer?.reload(next);
      config = next;
      metrics.configReloaded('applied');
      logger.info('configuration reloaded: users, groups, permissions, collections, API roots, limits, log level and TLS certificate apply to new requests');
      if (restartOnly.length > 0) logger.warn(`configuration reloaded, but these need a restart to change and keep their old values: ${restartOnly.join(', ')}`);
    },
    reloadRefused() {
      metrics.configReloaded('refused');
    },
    async stop() {
      await Promise.all([running.stop(config.server.shutdown_grace_seconds * 1000), metricsServer?.stop(1000)]);
      await store.close();
    },
  };
}
