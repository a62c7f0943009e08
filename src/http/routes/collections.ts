import { Router } from 'express';
import type { CollectionConfig } from '../../config/types';
import { canRead, canSee, canWrite } from '../../auth/permissions';
import type { Principal } from '../../auth/principal';
import type { RouteDeps } from '../deps';
import { sendTaxii } from '../render';
import { methodNotAllowed } from './method-not-allowed';

function collectionResource(c: CollectionConfig, principal: Principal): Record<string, unknown> {
  const body: Record<string, unknown> = { id: c.id, title: c.title };
  if (c.description !== undefined) body.description = c.description;
  if (c.alias !== undefined) body.alias = c.alias;
  body.can_read = canRead(principal, c);
  body.can_write = canWrite(principal, c);
  body.media_types = c.media_types;
  return body;
}

/** GET /{api-root}/collections/ and GET /{api-root}/collections/{id-or-alias}/. */
export function collectionsRouter({ access, catalog }: RouteDeps): Router {
  const router = Router({ caseSensitive: true });
  router
    .route('/:root/collections/')
    .get((req, res) => {
      const root = access.apiRoot(req, req.params.root);
      const visible = catalog.collections(root.path).filter((c) => canSee(req.principal, c));
      sendTaxii(res, 200, visible.length > 0 ? { collections: visible.map((c) => collectionResource(c, req.principal)) } : {});
    })
    .all(methodNotAllowed('GET, HEAD'));
  router
    .route('/:root/collections/:collection/')
    .get((req, res) => {
      const { collection: c } = access.collection(req, req.params.root, req.params.collection, 'see');
      sendTaxii(res, 200, collectionResource(c, req.principal));
    })
    .all(methodNotAllowed('GET, HEAD'));
  return router;
}
