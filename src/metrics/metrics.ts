/**
 * Prometheus metrics (prom-client), one registry per process, shared by every app built in it
 * (configuration reloads keep counting). No label ever carries a user, an address, an object id
 * or free text: labels are route templates, methods, status codes, endpoints, operations and rule
 * ids, all from fixed sets, so the number of series stays bounded whatever clients send.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../store/store';

/** Seconds; from a fast cached page to a slow envelope. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type IngestOutcome = 'stored' | 'duplicate' | 'failed';

export class Metrics {
  readonly registry = new Registry();

  private readonly requests = new Counter({ name: 'taxiway_http_requests_total', help: 'HTTP requests by route template, method and status.', labelNames: ['route', 'method', 'status'], registers: [this.registry] });
  private readonly requestSeconds = new Histogram({ name: 'taxiway_http_request_duration_seconds', help: 'HTTP request latency by route template and method.', labelNames: ['route', 'method'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly objectsPushed = new Counter({ name: 'taxiway_objects_pushed_total', help: 'Objects received in pushes and imports.', registers: [this.registry] });
  private readonly objectsByOutcome = new Counter({ name: 'taxiway_objects_ingested_total', help: 'Pushed objects by outcome (stored, duplicate, failed) and failure reason (a rule id).', labelNames: ['outcome', 'reason'], registers: [this.registry] });
  private readonly pages = new Counter({ name: 'taxiway_pages_served_total', help: 'Pages served by endpoint (objects, object, manifest, versions).', labelNames: ['endpoint'], registers: [this.registry] });
  private readonly objectsServed = new Counter({ name: 'taxiway_objects_served_total', help: 'Records served in pages, by endpoint.', labelNames: ['endpoint'], registers: [this.registry] });
  private readonly storeSeconds = new Histogram({ name: 'taxiway_store_operation_duration_seconds', help: 'Store operation latency by operation.', labelNames: ['operation', 'result'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly authFailures = new Counter({ name: 'taxiway_auth_failures_total', help: 'Refused sign-ins (wrong or malformed credentials).', registers: [this.registry] });
  private readonly throttled = new Counter({ name: 'taxiway_auth_throttled_total', help: 'Sign-in attempts refused by the login throttle (429).', registers: [this.registry] });
  private readonly reloads = new Counter({ name: 'taxiway_config_reloads_total', help: 'Configuration reloads by result (applied, refused).', labelNames: ['result'], registers: [this.registry] });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'taxiway_' });
  }

  /** Reports at every scrape whether `store` answers its health check (once per process). */
  watchStore(store: Pick<Store, 'health'>): void {
    if (this.registry.getSingleMetric('taxiway_store_up')) return;
    new Gauge({
      name: 'taxiway_store_up',
      help: '1 when the store answers its health check, else 0.',
      registers: [this.registry],
      async collect() {
        const health = await store.health().catch(() => ({ ok: false }));
        this.set(health.ok ? 1 : 0);
      },
    });
  }

  request(route: string, method: string, status: number, seconds: number): void {
    this.requests.inc({ route, method, status: String(status) });
    this.requestSeconds.observe({ route, method }, seconds);
  }

  ingested(outcome: IngestOutcome, reason = ''): void {
    this.objectsPushed.inc();
    this.objectsByOutcome.inc({ outcome, reason });
  }

  pageServed(endpoint: 'objects' | 'object' | 'manifest' | 'versions', records: number): void {
    this.pages.inc({ endpoint });
    this.objectsServed.inc({ endpoint }, records);
  }

  storeOperation(operation: string, result: 'ok' | 'error', seconds: number): void {
    this.storeSeconds.observe({ operation, result }, seconds);
  }

  authFailed(): void {
    this.authFailures.inc();
  }

  loginThrottled(): void {
    this.throttled.inc();
  }

  configReloaded(result: 'applied' | 'refused'): void {
    this.reloads.inc({ result });
  }

  /** The Prometheus text exposition of this process's metrics. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

const TIMED_OPERATIONS = new Set<keyof Store>([
  'addObjects', 'queryObjects', 'queryObjectTexts', 'queryVersions', 'hasObject', 'getOwner', 'deleteObject', 'saveStatus', 'getStatus',
  'purgeExpiredStatuses', 'listStatuses', 'collectionStats', 'addedPerDay', 'storageBytes',
]);

/** The store, with the latency of each operation recorded (a proxy: the store itself is unchanged). */
export function instrumentStore<S extends Store>(store: S, metrics: Metrics): S {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (!TIMED_OPERATIONS.has(property as keyof Store)) return (value as (...args: unknown[]) => unknown).bind(target);
      const operation = String(property);
      return async (...args: unknown[]): Promise<unknown> => {
        const started = process.hrtime.bigint();
        try {
          const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          metrics.storeOperation(operation, 'ok', Number(process.hrtime.bigint() - started) / 1e9);
          return result;
        } catch (error) {
          metrics.storeOperation(operation, 'error', Number(process.hrtime.bigint() - started) / 1e9);
          throw error;
        }
      };
    },
  });
}
