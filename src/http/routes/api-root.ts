import { Router } from 'express';
import type { RouteDeps } from '../deps';
import { TAXII_MEDIA_TYPE } from '../media-types';
import { sendTaxii, statusResource } from '../render';
import { methodNotAllowed } from './method-not-allowed';

/** GET /{api-root}/ and GET /{api-root}/status/{status-id}/. */
export function apiRootRouter({ access, statuses }: RouteDeps): Router {
  const router = Router({ caseSensitive: true });
  router
    .route('/:root/')
    .get((req, res) => {
      const root = access.apiRoot(req, req.params.root);
      const body: Record<string, unknown> = { title: root.title };
      if (root.description !== undefined) body.description = root.description;
      body.versions = [TAXII_MEDIA_TYPE];
      body.max_content_length = root.max_content_length;
      sendTaxii(res, 200, body);
    })
    .all(methodNotAllowed('GET, HEAD'));

  router
    .route('/:root/status/:statusId/')
    .get(async (req, res) => {
      const user = access.requireUser(req);
      sendTaxii(res, 200, statusResource(await statuses.get(req.params.statusId, user, req.params.root)));
    })
    .all(methodNotAllowed('GET, HEAD'));
  return router;
}
