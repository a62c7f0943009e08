import express, { type Express } from 'express';
import type winston from 'winston';
import { authenticationMiddleware } from './auth/passport';
import { createLoginThrottle, type LoginThrottle } from './auth/throttle';
import type { AuthProvider } from './auth/users';
import { systemClock, type Clock } from './clock';
import { Catalog } from './config/catalog';
import { consoleRouter, consoleSessionKeys, CONSOLE_PATH, type ConsoleKeyMaterial, type ValidateLimiter } from './console';
import type { TaxiwayConfig } from './config/types';
import './http/context';
import { Access } from './http/access';
import type { RouteDeps } from './http/deps';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { requestGuards } from './http/guards';
import { parseQueryOnce } from './http/query-once';
import { requestLog } from './http/request-log';
import { apiRootRouter } from './http/routes/api-root';
import { collectionsRouter } from './http/routes/collections';
import { discoveryRouter } from './http/routes/discovery';
import { healthRouter } from './http/routes/health';
import { metricsRouter, type MetricsExposition } from './http/routes/metrics';
import { objectsRouter } from './http/routes/objects';
import { requestMetrics } from './http/request-metrics';
import type { Metrics } from './metrics/metrics';
import { IngestService } from './services/ingest';
import { ObjectService } from './services/objects';
import { StatsService } from './services/stats';
import { StatusService } from './services/statuses';
import { createStixValidator, type StixValidator } from './stix/validator';
import type { Store } from './store/store';

export interface AppDeps {
  config: TaxiwayConfig;
  store: Store;
  logger: winston.Logger;
  /** Defaults to the configured users. */
  auth?: AuthProvider;
  /** The process's login throttle; it outlives configuration reloads, so the server passes it in. */
  throttle?: LoginThrottle;
  /** The process's metrics (they outlive reloads too); without them nothing is counted. */
  metrics?: Metrics;
  /** What /_metrics/ serves: this process's metrics, or (in a cluster worker) the whole cluster's. */
  metricsText?: () => Promise<string>;
  /** True once the server is stopping: health then answers 503 so balancers stop sending traffic. */
  isDraining?: () => boolean;
  validator?: StixValidator;
  /** The clock of request and status timestamps: the same one the store uses for date_added. */
  clock?: Clock;
  /** From consoleSessionKeys, made once per process: random session keys must outlive reloads. */
  consoleKeys?: ConsoleKeyMaterial;
  /** The process's collection statistics (their cache outlives reloads). */
  stats?: StatsService;
  /** The process's validation limits for the console (its counters outlive reloads). */
  consoleValidateLimiter?: ValidateLimiter;
}

/** Builds the Express app from a config object and its collaborators; no global state. */
export function buildApp(deps: AppDeps): Express {
  const { config, logger, store } = deps;
  const catalog = new Catalog(config);
  const clock = deps.clock ?? systemClock;
  const routeDeps: RouteDeps = {
    config,
    catalog,
    access: new Access(catalog),
    objects: new ObjectService(store),
    ingest: new IngestService({
      store,
      validator: deps.validator ?? createStixValidator(),
      clock,
      retentionHours: config.status.retention_hours,
      onResult: (result) => deps.metrics?.ingested(result.kind === 'added' ? 'stored' : result.kind, result.kind === 'failed' ? result.reason : ''),
    }),
    statuses: new StatusService(store),
    store,
    logger,
    clock,
    metrics: deps.metrics,
    isDraining: deps.isDraining ?? (() => false),
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.server.trust_proxy);
  app.set('etag', false);
  app.use(requestLog(logger));
  if (deps.metrics) app.use(requestMetrics(deps.metrics));
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(parseQueryOnce);
  app.use(requestGuards(config.server));
  app.use(healthRouter(routeDeps));
  // One throttle for TAXII logins and console sign-ins, so failures on one slow down the other.
  const throttle = deps.throttle ?? createLoginThrottle(config.auth.throttle);
  if (config.console.enabled) {
    // Before TAXII authentication: the console signs in with its own session and ignores Authorization.
    app.use(
      CONSOLE_PATH,
      consoleRouter({
        config,
        catalog,
        objects: routeDeps.objects,
        ingest: routeDeps.ingest,
        statuses: routeDeps.statuses,
        store,
        logger,
        clock,
        throttle,
        users: deps.auth,
        stats: deps.stats ?? new StatsService(store),
        keys: deps.consoleKeys ?? consoleSessionKeys(config, logger),
        validateLimiter: deps.consoleValidateLimiter,
      }),
    );
  }
  app.use(authenticationMiddleware({ config, logger, throttle, provider: deps.auth, clock }));
  // With metrics.port, /_metrics/ is served by its own listener (buildMetricsApp) instead.
  if (config.metrics.enabled && deps.metrics && config.metrics.port === undefined) {
    app.use(metricsRouter(config.metrics, metricsExposition(deps.metrics, deps.metricsText)));
  }
  app.use(discoveryRouter(routeDeps));
  app.use(apiRootRouter(routeDeps));
  app.use(collectionsRouter(routeDeps));
  app.use(objectsRouter(routeDeps));
  app.use(notFoundHandler);
  app.use(errorHandler(logger, deps.metrics));
  return app;
}

function metricsExposition(metrics: Metrics, text: (() => Promise<string>) | undefined): MetricsExposition {
  return { text: text ?? (() => metrics.text()), contentType: metrics.contentType };
}

/**
 * The app of the separate metrics listener (`metrics.port`): /_metrics/ with the same access
 * rules (allowed addresses, or allowed users with their credentials) and nothing else.
 */
export function buildMetricsApp(deps: AppDeps & { metrics: Metrics }): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.server.trust_proxy);
  app.set('etag', false);
  app.use(requestLog(logger));
  app.use(parseQueryOnce);
  app.use(requestGuards(config.server));
  app.use(authenticationMiddleware({ config, logger, throttle: deps.throttle, provider: deps.auth, clock: deps.clock }));
  app.use(metricsRouter(config.metrics, metricsExposition(deps.metrics, deps.metricsText)));
  app.use(notFoundHandler);
  app.use(errorHandler(logger, deps.metrics));
  return app;
}
