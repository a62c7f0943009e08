/**
 * What a console user may look at: exactly what the TAXII API lets them read (`canRead`, the
 * same rule the TAXII routes apply). Anything else, existing or not, is the same 404 page.
 */
import { canRead, canWrite } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import type { Catalog } from '../config/catalog';
import type { ApiRootConfig, CollectionConfig } from '../config/types';
import { pageNotFound } from './errors';

export interface ReadableRoot {
  root: ApiRootConfig;
  collections: CollectionConfig[];
}

/** API roots in configuration order, each with the collections the principal may read; roots without any are left out. */
export function readableRoots(catalog: Catalog, principal: Principal): ReadableRoot[] {
  return catalog
    .apiRoots()
    .map((root) => ({ root, collections: catalog.collections(root.path).filter((c) => canRead(principal, c)) }))
    .filter((r) => r.collections.length > 0);
}

/** A collection the principal may read, by API root and id (or alias); otherwise the 404 page. */
export function readableCollection(catalog: Catalog, principal: Principal, rootPath: string, idOrAlias: string): { root: ApiRootConfig; collection: CollectionConfig } {
  const root = catalog.apiRoot(rootPath);
  const collection = root ? catalog.collection(rootPath, idOrAlias) : undefined;
  if (!root || !collection || !canRead(principal, collection)) throw pageNotFound();
  return { root, collection };
}

/** Collections the principal may push to: the validation page can check "as a push to" them. */
export function writableCollections(catalog: Catalog, principal: Principal): Array<{ root: ApiRootConfig; collection: CollectionConfig }> {
  return catalog.apiRoots().flatMap((root) => catalog.collections(root.path).filter((c) => canWrite(principal, c)).map((collection) => ({ root, collection })));
}
