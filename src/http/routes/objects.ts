import { Router, type Request, type Response } from 'express';
import { bypassesOwnership } from '../../auth/permissions';
import type { ApiRootConfig, CollectionConfig } from '../../config/types';
import { EnvelopeError, envelopeObjects, ingestEnvelope, statusResource } from '../../services/ingest';
import type { ObjectQuery, Page, PageRequest, StoredVersion } from '../../store/store';
import { readBody } from '../body';
import { encodeCursor } from '../cursor';
import type { RouteDeps } from '../deps';
import { badRequest, forbidden, notFound, TaxiiError, unprocessable } from '../errors';
import { parseFilters, type FilterName, type ParsedFilters } from '../filters';
import { isTaxiiContentType, TAXII_MEDIA_TYPE } from '../media-types';
import { dateHeaders, sendTaxii } from '../render';
import { methodNotAllowed } from './method-not-allowed';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** A DELETE without match[version] or match[spec_version] removes every version of the object. */
const DELETE_DEFAULTS = { versions: { all: true as const }, specVersions: { any: true as const } };

const LIST_FILTERS: FilterName[] = ['added_after', 'limit', 'next', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]'];
const OBJECT_FILTERS: FilterName[] = ['added_after', 'limit', 'next', 'match[version]', 'match[spec_version]'];
const VERSIONS_FILTERS: FilterName[] = ['added_after', 'limit', 'next', 'match[spec_version]'];

/** Pagination fields and date headers shared by every paged endpoint. */
function paged<T extends StoredVersion>(page: Page<T>, filters: ParsedFilters): { envelope: Record<string, unknown>; headers: Record<string, string> } {
  const first = page.items[0]?.dateAdded;
  const last = page.items[page.items.length - 1]?.dateAdded;
  const position = filters.after !== undefined && (filters.addedAfter === undefined || filters.after > filters.addedAfter) ? filters.after : filters.addedAfter;
  const envelope: Record<string, unknown> = {};
  if (page.items.length > 0) envelope.more = page.more;
  if (page.more) {
    envelope.more = true;
    // Always send next with more: taxii2-client and python-stix2 page only through next.
    envelope.next = encodeCursor(last ?? position ?? '0000-01-01T00:00:00.000000Z');
  }
  return { envelope, headers: dateHeaders(first, last, position) };
}

/** The store query and page a request's filters describe. */
function storeQuery(collection: CollectionConfig, f: ParsedFilters): [ObjectQuery, PageRequest] {
  return [
    { collectionId: collection.id, ids: f.ids, types: f.types, versions: f.versions, specVersions: f.specVersions, addedAfter: f.addedAfter },
    { limit: f.limit, afterDateAdded: f.after },
  ];
}

/** The envelope as text: stored objects are spliced in verbatim, never parsed and re-serialised. */
function envelopeText(envelope: Record<string, unknown>, objectJson: readonly string[]): string {
  const head = JSON.stringify(envelope);
  if (objectJson.length === 0) return head;
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"objects":[${objectJson.join(',')}]}`;
}

export function objectsRouter(deps: RouteDeps): Router {
  const { access, catalog, store, validator, config } = deps;
  const router = Router({ caseSensitive: true });

  function target(req: Request, need: 'read' | 'write' | 'read+write'): { root: ApiRootConfig; collection: CollectionConfig } {
    const params = req.params as Record<string, string>;
    const collection = access.collection(req, params.root, params.collection, need);
    return { root: catalog.apiRoot(params.root) as ApiRootConfig, collection };
  }

  async function getObjects(req: Request, res: Response): Promise<void> {
    const { root, collection } = target(req, 'read');
    const f = parseFilters(req, root, LIST_FILTERS);
    const page = await store.queryObjects(...storeQuery(collection, f));
    const { envelope, headers } = paged(page, f);
    sendTaxii(res, 200, envelopeText(envelope, page.items.map((o) => o.json)), headers);
  }

  async function addObjects(req: Request, res: Response): Promise<void> {
    const { root, collection } = target(req, 'write');
    if (!isTaxiiContentType(req.headers['content-type'])) {
      throw new TaxiiError(415, 'Unsupported media type', `Send the envelope as Content-Type: ${TAXII_MEDIA_TYPE} (got ${req.headers['content-type'] ?? 'none'}).`);
    }
    const raw = await readBody(req, root.max_content_length);
    let text: string;
    try {
      text = STRICT_UTF8.decode(raw);
    } catch {
      throw badRequest('The request body is not valid UTF-8 (RFC 8259 requires JSON to be UTF-8).');
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw badRequest(`The request body is not valid JSON: ${(err as Error).message}`);
    }
    let objects: unknown[];
    try {
      objects = envelopeObjects(body);
    } catch (err) {
      if (err instanceof EnvelopeError) throw unprocessable(err.message);
      throw err;
    }
    if (objects.length > root.max_objects_per_request) {
      throw new TaxiiError(413, 'Too many objects', `This API root takes at most ${root.max_objects_per_request} objects per envelope (got ${objects.length}); split the envelope.`);
    }
    const status = await ingestEnvelope(objects, {
      store,
      validator,
      collection,
      apiRoot: root.path,
      writer: { user: req.principal.user, bypassOwnership: bypassesOwnership(req.principal, collection) },
      retentionHours: config.status.retention_hours,
      now: deps.clock,
    });
    deps.logger.info('objects added', { requestId: req.requestId, user: req.principal.user, collection: collection.id, total: status.totalCount, successes: status.successCount, failures: status.failureCount });
    sendTaxii(res, 202, statusResource(status));
  }

  async function getObject(req: Request, res: Response): Promise<void> {
    const { root, collection } = target(req, 'read');
    const f = parseFilters(req, root, OBJECT_FILTERS);
    const id = req.params.object as string;
    const page = await store.queryObjects(...storeQuery(collection, { ...f, ids: [id] }));
    // Only an empty page needs the second look: unknown ids are 404, filtered-out ones an empty envelope.
    if (page.items.length === 0) await requireObject(collection, id);
    const { envelope, headers } = paged(page, f);
    sendTaxii(res, 200, envelopeText(envelope, page.items.map((o) => o.json)), headers);
  }

  async function deleteObject(req: Request, res: Response): Promise<void> {
    const { root, collection } = target(req, 'read+write');
    const f = parseFilters(req, root, ['match[version]', 'match[spec_version]'], DELETE_DEFAULTS);
    const id = req.params.object as string;
    if (!bypassesOwnership(req.principal, collection)) {
      const owner = await store.getOwner(collection.id, id);
      if (owner !== undefined && owner !== req.principal.user) throw forbidden('Only the user who first pushed this object, or a collection maintainer, may delete it.');
    }
    const deleted = await store.deleteObject(collection.id, id, f.versions, f.specVersions);
    if (deleted === 0) throw notFound(`There is no object ${id.slice(0, 300)} in this collection, or no version of it matches the filters.`);
    deps.logger.info('object deleted', { requestId: req.requestId, user: req.principal.user, collection: collection.id, object: id, versions: deleted });
    sendTaxii(res, 200, '');
  }

  async function getVersions(req: Request, res: Response): Promise<void> {
    const { root, collection } = target(req, 'read');
    const f = parseFilters(req, root, VERSIONS_FILTERS);
    const id = req.params.object as string;
    const page = await store.queryVersions(...storeQuery(collection, { ...f, ids: [id], versions: { all: true } }));
    if (page.items.length === 0) await requireObject(collection, id);
    const { envelope, headers } = paged(page, f);
    if (page.items.length > 0) envelope.versions = page.items.map((v) => v.version);
    sendTaxii(res, 200, envelope, headers);
  }

  async function getManifest(req: Request, res: Response): Promise<void> {
    const { root, collection } = target(req, 'read');
    const f = parseFilters(req, root, LIST_FILTERS);
    const page = await store.queryVersions(...storeQuery(collection, f));
    const { envelope, headers } = paged(page, f);
    if (page.items.length > 0) {
      envelope.objects = page.items.map((v) => ({ id: v.id, date_added: v.dateAdded, version: v.version, media_type: v.mediaType }));
    }
    sendTaxii(res, 200, envelope, headers);
  }

  async function requireObject(collection: CollectionConfig, id: string): Promise<void> {
    if (!(await store.hasObject(collection.id, id))) throw notFound(`There is no object ${id.slice(0, 300)} in this collection.`);
  }

  const base = '/:root/collections/:collection';
  router.route(`${base}/objects/`).get(getObjects).post(addObjects).all(methodNotAllowed('GET, HEAD, POST'));
  router.route(`${base}/manifest/`).get(getManifest).all(methodNotAllowed('GET, HEAD'));
  router.route(`${base}/objects/:object/`).get(getObject).delete(deleteObject).all(methodNotAllowed('GET, HEAD, DELETE'));
  router.route(`${base}/objects/:object/versions/`).get(getVersions).all(methodNotAllowed('GET, HEAD'));
  return router;
}
