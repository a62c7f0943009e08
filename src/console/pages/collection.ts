/**
 * A collection: what it holds (by type, per day) and a table of its objects with TAXII's filters,
 * paged forward with TAXII's `next` tokens through the ObjectService the TAXII routes use.
 */
import type { Router } from 'express';
import { encodeCursor } from '../../http/cursor';
import type { ConsoleContext } from '../deps';
import { formatCount, formatTimestamp } from '../format';
import { readFilterInput, toObjectFilters, type FilterInput } from '../object-filters';
import { collectionPath, objectPath, withQuery } from '../urls';
import { readableCollection } from '../visibility';
import type { ObjectRow } from '../views/collection';
import { chartJson, perDayLabel } from './charts';
import { base, layoutFor, sendPage, sessionOf } from './common';

/** Rows per page (bounded further by the API root's max_page_size and max_page_bytes). */
const PAGE_SIZE = 50;
/** Types drawn in the bar chart; the table below it lists every type. */
const CHART_TYPES = 20;

/** The object's `name`, if it has one, for the table. */
function nameOf(json: string): string | undefined {
  try {
    const name = (JSON.parse(json) as { name?: unknown }).name;
    return typeof name === 'string' ? name.slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}

function filterQuery(input: FilterInput): Record<string, string> {
  return { type: input.type, id: input.id, added_after: input.addedAfter, version: input.version === 'last' ? '' : input.version };
}

export function collectionRoutes(router: Router, ctx: ConsoleContext): void {
  router.get('/collections/:root/:collection/', async (req, res) => {
    const { principal } = sessionOf(req);
    const { root, collection } = readableCollection(ctx.catalog, principal, req.params.root as string, req.params.collection as string);
    const action = collectionPath(base(req), collection);
    const { input, error: inputError } = readFilterInput(req);
    const filters = inputError ?? toObjectFilters(input);
    const pageSize = Math.min(PAGE_SIZE, root.max_page_size);
    const [summary, page] = await Promise.all([
      ctx.stats.summary(collection, ctx.clock()),
      typeof filters === 'string' ? undefined : ctx.objects.list(collection, filters, { limit: pageSize, maxBytes: root.max_page_bytes }),
    ]);
    const rows: ObjectRow[] = (page?.items ?? []).map((o) => ({
      type: o.type,
      name: nameOf(o.json),
      id: o.id,
      url: objectPath(base(req), collection, o.id),
      version: o.version,
      dateAdded: o.dateAdded,
    }));
    const last = page?.items[page.items.length - 1];
    const chartTypes = [...summary.byType].sort((a, b) => b.objects - a.objects || a.type.localeCompare(b.type)).slice(0, CHART_TYPES);
    const shownTypes = chartTypes.length < summary.byType.length ? `the ${CHART_TYPES} most common of ${summary.byType.length} types` : `${summary.byType.length} types`;
    sendPage(ctx, res, typeof filters === 'string' ? 400 : 200, 'collection', {
      ...layoutFor(req, collection.title, { charts: true }),
      rootTitle: root.title,
      rootPath: root.path,
      collection: { title: collection.title, id: collection.id, alias: collection.alias, description: collection.description, policy: collection.validation },
      stats: {
        objects: formatCount(summary.objects),
        versions: formatCount(summary.versions),
        first: summary.firstDateAdded ? formatTimestamp(summary.firstDateAdded).text : undefined,
        last: summary.lastDateAdded ? formatTimestamp(summary.lastDateAdded).text : undefined,
      },
      byType: {
        chart: chartJson({ kind: 'bar', label: 'Objects', labels: chartTypes.map((t) => t.type), values: chartTypes.map((t) => t.objects) }),
        label: `Objects by type, ${shownTypes}: ${chartTypes.map((t) => `${t.type} ${formatCount(t.objects)}`).join(', ')}.`,
        rows: summary.byType.map((t) => ({ type: t.type, objects: formatCount(t.objects), versions: formatCount(t.versions) })),
      },
      perDay: {
        chart: chartJson({ kind: 'line', label: 'Versions added', labels: summary.perDay.map((d) => d.day.slice(5)), values: summary.perDay.map((d) => d.versions) }),
        label: `Versions added per day: ${perDayLabel(summary.perDay)}`,
        rows: summary.perDay.map((d) => ({ day: d.day, versions: formatCount(d.versions) })),
      },
      filters: { type: input.type, id: input.id, addedAfter: input.addedAfter, version: input.version, types: summary.byType.map((t) => t.type) },
      action,
      filterError: typeof filters === 'string' ? filters : undefined,
      rows,
      firstUrl: input.next !== '' ? withQuery(action, filterQuery(input)) : undefined,
      nextUrl: page?.more && last ? withQuery(action, { ...filterQuery(input), next: encodeCursor(last.dateAdded) }) : undefined,
      pageSize,
    });
  });
}
