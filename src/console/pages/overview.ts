/** The overview: every API root and collection the user may read, with figures from StatsService. */
import type { Router } from 'express';
import type { ConsoleContext } from '../deps';
import { formatCount, formatTimestamp } from '../format';
import { collectionPath } from '../urls';
import { readableRoots } from '../visibility';
import type { CollectionCard } from '../views/overview';
import { chartJson, perDayLabel } from './charts';
import { base, layoutFor, sendPage, sessionOf } from './common';

/** How stale the cached statistics may be (StatsService's default), for the page's note. */
const STATS_MINUTES = 2;

export function overviewRoutes(router: Router, ctx: ConsoleContext): void {
  router.get('/', async (req, res) => {
    const { principal } = sessionOf(req);
    const now = ctx.clock();
    const roots = await Promise.all(
      readableRoots(ctx.catalog, principal).map(async ({ root, collections }) => ({
        path: root.path,
        title: root.title,
        description: root.description,
        collections: await Promise.all(
          collections.map(async (c): Promise<CollectionCard> => {
            const s = await ctx.stats.summary(c, now);
            return {
              title: c.title,
              url: collectionPath(base(req), c),
              id: c.id,
              alias: c.alias,
              description: c.description,
              objects: formatCount(s.objects),
              versions: formatCount(s.versions),
              lastAdded: s.lastDateAdded ? formatTimestamp(s.lastDateAdded) : undefined,
              addedLast30: formatCount(s.perDay.reduce((sum, d) => sum + d.versions, 0)),
              spark: chartJson({ kind: 'sparkline', label: 'Versions added', labels: s.perDay.map((d) => d.day), values: s.perDay.map((d) => d.versions) }),
              sparkLabel: `Versions added per day: ${perDayLabel(s.perDay)}`,
            };
          }),
        ),
      })),
    );
    sendPage(ctx, res, 200, 'overview', { ...layoutFor(req, 'Overview', { nav: 'overview', charts: true }), roots, cacheMinutes: STATS_MINUTES });
  });
}
