import { Router, type Request, type Response } from 'express';
import { bypassesOwnership } from '../../auth/permissions';
import { envelopeObjects } from '../../services/ingest';
import type { ObjectFilters } from '../../services/objects';
import type { PageRequest } from '../../store/store';
import { readBody } from '../body';
import type { RouteDeps } from '../deps';
import { badRequest, TaxiiError } from '../errors';
import { parseFilters, type FilterName, type ParsedFilters } from '../filters';
import { isTaxiiContentType, TAXII_MEDIA_TYPE } from '../media-types';
import { pageEnvelope, sendEnvelope, sendTaxii, statusResource } from '../render';
import { methodNotAllowed } from './method-not-allowed';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** A DELETE without match[version] or match[spec_version] removes every version of the object. */
const DELETE_DEFAULTS = { versions: { all: true as const }, specVersions: { any: true as const } };

const LIST_FILTERS: FilterName[] = ['added_after', 'limit', 'next', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]'];
const OBJECT_FILTERS: FilterName[] = ['added_after', 'limit', 'next', 'match[version]', 'match[spec_version]'];
const VERSIONS_FILTERS: FilterName[] = ['added_after', 'limit', 'next', 'match[spec_version]'];

function filtersOf(f: ParsedFilters): ObjectFilters {
  return { ids: f.ids, types: f.types, versions: f.versions, specVersions: f.specVersions, after: f.after };
}

/** GET/POST objects, GET manifest, GET/DELETE one object, GET its versions: parse, call a service, render. */
export function objectsRouter(deps: RouteDeps): Router {
  const { access, objects, ingest } = deps;
  const router = Router({ caseSensitive: true });

  function target(req: Request, need: 'read' | 'write' | 'read+write') {
    const params = req.params as Record<string, string>;
    return access.collection(req, params.root, params.collection, need);
  }

  async function getObjects(req: Request, res: Response): Promise<void> {
    const { root, collection } = target(req, 'read');
    const f = parseFilters(req, root, LIST_FILTERS);
    const page = await objects.listTexts(collection, filtersOf(f), { limit: f.limit, maxBytes: root.max_page_bytes });
    deps.metrics?.pageServed('objects', page.items.length);
    const { envelope, headers } = pageEnvelope(page, f.after);
    await sendEnvelope(res, envelope, page.items.map((o) => o.json), headers);
  }

  async function addObjects(req: Request, res: Response): Promise<void> {
    const { root, collection } = target(req, 'write');
    if (!isTaxiiContentType(req.headers['content-type'])) {
      throw new TaxiiError(415, 'Unsupported media type', `Send the envelope as Content-Type: ${TAXII_MEDIA_TYPE} (got ${req.headers['content-type']?.slice(0, 100) ?? 'none'}).`);
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
      throw badRequest(`The request body is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
    }
    const items = envelopeObjects(body);
    if (items.length > root.max_objects_per_request) {
      throw new TaxiiError(413, 'Too many objects', `This API root takes at most ${root.max_objects_per_request} objects per envelope (got ${items.length}); split the envelope.`);
    }
    const status = await ingest.ingest(items, {
      collection,
      apiRoot: root.path,
      writer: { user: req.principal.user, bypassOwnership: bypassesOwnership(req.principal, collection) },
    });
    deps.logger.info('objects added', { requestId: req.requestId, user: req.principal.user, collection: collection.id, total: status.totalCount, successes: status.successCount, failures: status.failureCount });
    sendTaxii(res, 202, statusResource(status));
  }

  async function getObject(req: Request, res: Response): Promise<void> {
    const { root, collection } = target(req, 'read');
    const f = parseFilters(req, root, OBJECT_FILTERS);
    const page = await objects.getTexts(collection, req.params.object as string, filtersOf(f), { limit: f.limit, maxBytes: root.max_page_bytes });
    deps.metrics?.pageServed('object', page.items.length);
    const { envelope, headers } = pageEnvelope(page, f.after);
    await sendEnvelope(res, envelope, page.items.map((o) => o.json), headers);
  }

  async function deleteObject(req: Request, res: Response): Promise<void> {
    const { root, collection } = target(req, 'read+write');
    const f = parseFilters(req, root, ['match[version]', 'match[spec_version]'], DELETE_DEFAULTS);
    const id = req.params.object as string;
    const writer = { user: req.principal.user, bypassOwnership: bypassesOwnership(req.principal, collection) };
    const deleted = await objects.delete(collection, id, f.versions, f.specVersions, writer);
    deps.logger.info('object deleted', { requestId: req.requestId, user: req.principal.user, collection: collection.id, object: id, versions: deleted });
    sendTaxii(res, 200, '');
  }

  async function getVersions(req: Request, res: Response): Promise<void> {
    const { root, collection } = target(req, 'read');
    const f = parseFilters(req, root, VERSIONS_FILTERS);
    const page = await objects.versions(collection, req.params.object as string, filtersOf(f), pageOf(f));
    deps.metrics?.pageServed('versions', page.items.length);
    const { envelope, headers } = pageEnvelope(page, f.after);
    if (page.items.length > 0) envelope.versions = page.items.map((v) => v.version);
    sendTaxii(res, 200, envelope, headers);
  }

  async function getManifest(req: Request, res: Response): Promise<void> {
    const { root, collection } = target(req, 'read');
    const f = parseFilters(req, root, LIST_FILTERS);
    const page = await objects.manifest(collection, filtersOf(f), pageOf(f));
    deps.metrics?.pageServed('manifest', page.items.length);
    const { envelope, headers } = pageEnvelope(page, f.after);
    if (page.items.length > 0) {
      envelope.objects = page.items.map((v) => ({ id: v.id, date_added: v.dateAdded, version: v.version, media_type: v.mediaType }));
    }
    sendTaxii(res, 200, envelope, headers);
  }

  const base = '/:root/collections/:collection';
  router.route(`${base}/objects/`).get(getObjects).post(addObjects).all(methodNotAllowed('GET, HEAD, POST'));
  router.route(`${base}/manifest/`).get(getManifest).all(methodNotAllowed('GET, HEAD'));
  router.route(`${base}/objects/:object/`).get(getObject).delete(deleteObject).all(methodNotAllowed('GET, HEAD, DELETE'));
  router.route(`${base}/objects/:object/versions/`).get(getVersions).all(methodNotAllowed('GET, HEAD'));
  return router;
}

/** Manifest and versions pages hold no object bodies: only the record count bounds them. */
function pageOf(f: ParsedFilters): PageRequest {
  return { limit: f.limit };
}
