/**
 * A worker of `taxiway serve --workers N`: one serving instance that takes its orders from the
 * primary (reload with an already validated configuration, stop) and asks it for the cluster's
 * metrics. Signals sent to the whole process group (Ctrl-C) are left to the primary, which
 * coordinates the stop.
 */
import { AggregatorRegistry } from 'prom-client';
import type { TaxiwayConfig } from '../config/types';
import { createLogger } from '../logging';
import { startInstance } from './instance';
import { isPrimaryMessage, type WorkerMessage } from './messages';

const METRICS_TIMEOUT_MS = 10_000;

/** The configuration the primary hands a new worker. */
function startMessage(): Promise<TaxiwayConfig> {
  return new Promise((resolve) => {
    const listener = (message: unknown): void => {
      if (!isPrimaryMessage(message) || message.type !== 'taxiway:start') return;
      process.off('message', listener);
      resolve(message.config);
    };
    process.on('message', listener);
  });
}

export async function runWorker(): Promise<number> {
  const config = await startMessage();
  const logger = createLogger(config.server);
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  let nextRequest = 0;
  const clusterMetrics = (): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      const requestId = nextRequest++;
      const timer = setTimeout(() => {
        pending.delete(requestId);
        reject(new Error('the primary did not send the metrics in time'));
      }, METRICS_TIMEOUT_MS);
      pending.set(requestId, {
        resolve: (text) => (clearTimeout(timer), resolve(text)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      process.send?.({ type: 'taxiway:metrics-request', requestId } satisfies WorkerMessage);
    });

  const instance = await startInstance(config, {
    logger,
    metricsText: (local) => {
      // prom-client answers the primary's aggregation requests from these registries.
      new AggregatorRegistry();
      AggregatorRegistry.setRegistries([local.registry]);
      return clusterMetrics;
    },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => undefined);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      instance.stop().then(
        () => {
          // Nothing is left to serve: close the channel to the primary so the process can end.
          process.disconnect?.();
          resolve(0);
        },
        (error: unknown) => {
          logger.error(`worker stop failed: ${error instanceof Error ? error.message : String(error)}`);
          resolve(1);
        },
      );
    };
    process.on('message', (message: unknown) => {
      if (!isPrimaryMessage(message)) return;
      if (message.type === 'taxiway:reload') instance.reload(message.config);
      else if (message.type === 'taxiway:stop') stop();
      else if (message.type === 'taxiway:start') return;
      else {
        const request = pending.get(message.requestId);
        pending.delete(message.requestId);
        if (message.text !== undefined) request?.resolve(message.text);
        else request?.reject(new Error(message.error ?? 'metrics unavailable'));
      }
    });
    // The primary is gone: drain and stop rather than serve on alone.
    process.on('disconnect', stop);
  });
}
