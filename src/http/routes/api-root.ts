import { Router } from 'express';
import { statusResource } from '../../services/ingest';
import { microsToTimestamp } from '../../stix/timestamp';
import type { RouteDeps } from '../deps';
import { notFound } from '../errors';
import { TAXII_MEDIA_TYPE } from '../media-types';
import { sendTaxii } from '../render';
import { methodNotAllowed } from './method-not-allowed';

/** GET /{api-root}/ and GET /{api-root}/status/{status-id}/. */
export function apiRootRouter({ access, store, clock }: RouteDeps): Router {
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
      const id = req.params.statusId;
      const status = /^[0-9a-f-]{36}$/i.test(id) ? await store.getStatus(id.toLowerCase(), microsToTimestamp(clock())) : undefined;
      // A status belongs to the user who pushed, under the API root it was pushed to; to anyone
      // else, and under any other path, it does not exist (one answer for every such case).
      if (!status || status.owner !== user || status.apiRoot !== req.params.root) {
        throw notFound(`There is no status '${id.slice(0, 64)}' here (statuses are kept for a limited time).`);
      }
      sendTaxii(res, 200, statusResource(status));
    })
    .all(methodNotAllowed('GET, HEAD'));
  return router;
}
