import { Router } from 'express';
import { canSee } from '../../auth/permissions';
import { isAnonymous } from '../../auth/principal';
import { unauthorized } from '../errors';
import { publicBaseUrl } from '../public-url';
import type { RouteDeps } from '../deps';
import { sendTaxii } from '../render';
import { methodNotAllowed } from './method-not-allowed';

/**
 * GET /taxii2/ — lists only the API roots in which the caller can see at least one collection.
 * Routers match paths case-sensitively: /TAXII2/ is not discovery, and API root paths differ by case.
 */
export function discoveryRouter({ config, catalog }: RouteDeps): Router {
  const router = Router({ caseSensitive: true });
  router
    .route('/taxii2/')
    .get((req, res) => {
      const visible = catalog
        .apiRoots()
        .filter((root) => catalog.collections(root.path).some((c) => canSee(req.principal, c)))
        .map((root) => root.path);
      if (isAnonymous(req.principal) && visible.length === 0) throw unauthorized();
      const d = config.discovery;
      const body: Record<string, unknown> = { title: d.title };
      if (d.description !== undefined) body.description = d.description;
      if (d.contact !== undefined) body.contact = d.contact;
      // Absolute URLs: some clients request them exactly as given (see src/http/public-url.ts).
      const base = publicBaseUrl(req, config.server);
      if (d.default !== undefined && visible.includes(d.default)) body.default = `${base}/${d.default}/`;
      if (visible.length > 0) body.api_roots = visible.map((p) => `${base}/${p}/`);
      sendTaxii(res, 200, body);
    })
    .all(methodNotAllowed('GET, HEAD'));
  return router;
}
