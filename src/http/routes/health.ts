import { Router } from 'express';
import type { RouteDeps } from '../deps';
import { sendTaxii } from '../render';
import { methodNotAllowed } from './method-not-allowed';

/**
 * GET /_health/ for load balancers and orchestrators: 200 when the store answers, 503 otherwise,
 * and 503 while the server drains before stopping (so no new traffic is sent its way). Outside
 * the TAXII namespace (API root paths cannot start with '_'), unauthenticated, and it reveals
 * nothing but the store kind.
 */
export function healthRouter({ store, isDraining }: RouteDeps): Router {
  const router = Router({ caseSensitive: true });
  router.route('/_health/').get(async (_req, res) => {
    if (isDraining()) return sendTaxii(res, 503, { status: 'draining', store: 'unknown' }, { 'Retry-After': '5' });
    const health = await store.health().catch((err: unknown) => ({ ok: false, store: 'unknown', detail: (err as Error).message }));
    sendTaxii(res, health.ok ? 200 : 503, { status: health.ok ? 'ok' : 'unavailable', store: health.store }, health.ok ? {} : { 'Retry-After': '5' });
  }).all(methodNotAllowed('GET, HEAD'));
  return router;
}
