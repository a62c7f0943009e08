import type { RequestHandler } from 'express';
import type { Metrics } from '../metrics/metrics';

/**
 * Counts every request by its route template (`/:root/collections/:collection/objects/`), never
 * by its path: paths carry API root names, collection and object ids, which would make the number
 * of series grow with what clients send. Requests no route matched count as `unmatched`.
 */
export function requestMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const routePath = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof routePath === 'string' ? `${req.baseUrl}${routePath}` : 'unmatched';
      metrics.request(route, req.method, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
