/**
 * One object: the stored JSON (indented for reading; Copy and Download give the stored text byte
 * for byte), its versions with date_added, and links to the objects it references that are in the
 * same collection. Every read goes through the ObjectService, in a collection the user may read.
 */
import type { Request, Router } from 'express';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import type { CollectionConfig } from '../../config/types';
import type { ObjectFilters } from '../../services/objects';
import { parseTimestamp } from '../../stix/timestamp';
import type { StoredObject } from '../../store/store';
import type { ConsoleContext } from '../deps';
import { pageNotFound } from '../errors';
import { prettyJson } from '../pretty-json';
import { collectReferences, externalLinks, isStixId } from '../references';
import { collectionPath, downloadPath, objectPath, withQuery } from '../urls';
import { readableCollection } from '../visibility';
import { base, layoutFor, queryText, sendPage, sessionOf } from './common';

/** References looked up in the collection; the rest are listed without a link. */
export const MAX_REFERENCE_LOOKUPS = 50;
const VERSIONS_PAGE = 100;

export function objectRoutes(router: Router, ctx: ConsoleContext): void {
  /** The collection and object id of the request, or the 404 page. */
  function target(req: Request): { collection: CollectionConfig; maxPage: number; id: string } {
    const { principal } = sessionOf(req);
    const { root, collection } = readableCollection(ctx.catalog, principal, req.params.root as string, req.params.collection as string);
    const id = req.params.id as string;
    if (!isStixId(id)) throw pageNotFound();
    return { collection, maxPage: root.max_page_size, id };
  }

  /**
   * The version asked for (`?version=`), else the newest; every spec version counts, so an object
   * is always shown even when its newest version is in an older spec version.
   */
  async function selected(req: Request, collection: CollectionConfig, id: string): Promise<StoredObject> {
    const asked = queryText(req, 'version');
    let filters: ObjectFilters = { versions: { first: false, last: true, exact: [] }, specVersions: { any: true } };
    if (asked !== '') {
      const version = parseTimestamp(asked)?.canonical;
      if (version === undefined) throw pageNotFound();
      filters = { versions: { first: false, last: false, exact: [version] }, specVersions: { any: true } };
    }
    // Unknown objects are the service's NotFoundError, rendered as the 404 page.
    const page = await ctx.objects.get(collection, id, filters, { limit: 10 });
    const shown = page.items[page.items.length - 1];
    if (!shown) throw pageNotFound();
    return shown;
  }

  router.get('/collections/:root/:collection/objects/:id/', async (req, res) => {
    const { collection, maxPage, id } = target(req);
    const b = base(req);
    const shown = await selected(req, collection, id);
    let after: string | undefined;
    if (queryText(req, 'vnext') !== '') {
      try {
        after = decodeCursor(queryText(req, 'vnext'));
      } catch {
        throw pageNotFound();
      }
    }
    const versions = await ctx.objects.versions(collection, id, { versions: { all: true }, specVersions: { any: true }, after }, { limit: Math.min(VERSIONS_PAGE, maxPage) });
    const parsed: unknown = JSON.parse(shown.json);
    const references = collectReferences(parsed);
    const looked = references.slice(0, MAX_REFERENCE_LOOKUPS);
    // One manifest query for all of them: present ids come back, absent ones do not.
    const present = new Set<string>();
    if (looked.length > 0) {
      const found = await ctx.objects.manifest(collection, { ids: looked, versions: { first: false, last: true, exact: [] }, specVersions: { any: true } }, { limit: looked.length * 2 });
      for (const v of found.items) present.add(v.id);
    }
    const name = (parsed as { name?: unknown }).name;
    const self = objectPath(b, collection, id);
    const lastVersion = versions.items[versions.items.length - 1];
    sendPage(ctx, res, 200, 'object', {
      ...layoutFor(req, typeof name === 'string' ? name.slice(0, 200) : id),
      collectionTitle: collection.title,
      collectionUrl: collectionPath(b, collection),
      object: { id, type: shown.type, name: typeof name === 'string' ? name : undefined, version: shown.version, specVersion: shown.specVersion, dateAdded: shown.dateAdded, mediaType: shown.mediaType },
      storedJson: shown.json,
      prettyJson: prettyJson(shown.json),
      downloadUrl: withQuery(downloadPath(b, collection, id), { version: shown.version }),
      versions: versions.items.map((v) => {
        const current = v.version === shown.version && v.specVersion === shown.specVersion;
        return { version: v.version, specVersion: v.specVersion, dateAdded: v.dateAdded, current, url: current ? undefined : withQuery(self, { version: v.version }) };
      }),
      moreVersionsUrl: versions.more && lastVersion ? withQuery(self, { version: queryText(req, 'version'), vnext: encodeCursor(lastVersion.dateAdded) }) : undefined,
      references: references.map((ref) => ({ id: ref, url: present.has(ref) ? objectPath(b, collection, ref) : undefined })),
      referencesNotChecked: references.length - looked.length,
      externalLinks: externalLinks(parsed),
    });
  });

  router.get('/collections/:root/:collection/objects/:id/download', async (req, res) => {
    const { collection, id } = target(req);
    const shown = await selected(req, collection, id);
    const body = Buffer.from(shown.json, 'utf8');
    res.status(200);
    res.setHeader('Content-Type', `${shown.mediaType.replace(/[^\x20-\x7e]/g, '')}; charset=utf-8`);
    // STIX ids are [a-z0-9-] and a UUID, so the file name needs no quoting beyond this.
    res.setHeader('Content-Disposition', `attachment; filename="${id.replace(/[^A-Za-z0-9._-]/g, '_')}.json"`);
    res.setHeader('Content-Length', body.length);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}
