import type { Request } from 'express';
import type { ApiRootConfig, CollectionConfig } from '../config/types';
import { canRead, canSee, canWrite } from '../auth/permissions';
import { isAnonymous } from '../auth/principal';
import type { Catalog } from '../config/catalog';
import { forbidden, notFound, unauthorized } from './errors';

/**
 * One place decides between 401, 403 and 404:
 * - anonymous callers get 401 for everything that is not readable anonymously, whether or not it
 *   exists (so anonymous probing learns nothing);
 * - signed-in callers get 404 for what they may neither read nor write (its existence does not
 *   leak), and 403 when they may see it but lack the right the request needs.
 */
export class Access {
  constructor(private readonly catalog: Catalog) {}

  /** Whether anonymous callers can read at least one collection of the root. */
  private anonymousRoot(root: ApiRootConfig): boolean {
    return this.catalog.collections(root.path).some((c) => c.permissions.anonymous_read);
  }

  /**
   * An API root the caller may see: one holding at least one collection they can read or write
   * (or an API root with no collections at all). Other roots answer exactly like unknown ones, so
   * that the discovery list is the whole truth for each caller.
   */
  apiRoot(req: Request, path: string): ApiRootConfig {
    const root = this.catalog.apiRoot(path);
    if (isAnonymous(req.principal)) {
      if (!root || !this.anonymousRoot(root)) throw unauthorized();
      return root;
    }
    const collections = root ? this.catalog.collections(root.path) : [];
    if (!root || (collections.length > 0 && !collections.some((c) => canSee(req.principal, c)))) {
      throw notFound(`There is no API root '${path.slice(0, 128)}'.`);
    }
    return root;
  }

  /** The collection and its API root, if the caller has the rights `need` asks for (DELETE needs both). */
  collection(req: Request, rootPath: string, idOrAlias: string, need: 'see' | 'read' | 'write' | 'read+write'): { root: ApiRootConfig; collection: CollectionConfig } {
    const root = this.catalog.apiRoot(rootPath);
    const collection = root ? this.catalog.collection(rootPath, idOrAlias) : undefined;
    const principal = req.principal;
    if (isAnonymous(principal)) {
      if (root && collection && (need === 'read' || need === 'see') && collection.permissions.anonymous_read) return { root, collection };
      throw unauthorized();
    }
    if (!root) throw notFound(`There is no API root '${rootPath.slice(0, 128)}'.`);
    if (!collection || !canSee(principal, collection)) throw notFound(`There is no collection '${idOrAlias}' in API root '${rootPath}'.`);
    const r = canRead(principal, collection);
    const w = canWrite(principal, collection);
    if (need === 'read' && !r) throw forbidden('You may not read this collection.');
    if (need === 'write' && !w) throw forbidden('You may not write to this collection.');
    if (need === 'read+write' && !(r && w)) throw forbidden('Deleting objects needs both read and write access to the collection.');
    return { root, collection };
  }

  /** Anonymous callers may not read statuses (they are tied to the user who pushed). */
  requireUser(req: Request): string {
    if (isAnonymous(req.principal)) throw unauthorized();
    return req.principal.user as string;
  }
}
