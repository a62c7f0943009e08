/**
 * The signed-in user's pushes: their status resources while they are kept, newest first, read
 * with the store's `listStatuses` (shared with `taxiway stats`) and, one at a time, with the
 * StatusService the TAXII status route uses. Only the user's own statuses exist here.
 */
import type { Router } from 'express';
import { parseTimestamp } from '../../stix/timestamp';
import type { StatusPosition, StatusRecord } from '../../store/store';
import type { ConsoleContext } from '../deps';
import { pageNotFound } from '../errors';
import { formatCount, formatTimestamp, plural } from '../format';
import { pushPath, withQuery } from '../urls';
import type { PushSummary } from '../views/pushes';
import { base, layoutFor, queryText, sendPage, sessionOf } from './common';

const PAGE_SIZE = 20;
/** Failure messages shown per push in the list; the push's page shows them all. */
const LIST_FAILURES = 5;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function encodePosition(s: StatusRecord): string {
  return Buffer.from(`${s.requestTimestamp} ${s.id}`, 'utf8').toString('base64url');
}

function decodePosition(token: string): StatusPosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(token)) return undefined;
  const [requestTimestamp, id] = Buffer.from(token, 'base64url').toString('utf8').split(' ');
  if (id === undefined || !UUID_RE.test(id) || parseTimestamp(requestTimestamp, 6)?.canonical !== requestTimestamp) return undefined;
  return { requestTimestamp, id };
}

export function pushesRoutes(router: Router, ctx: ConsoleContext): void {
  router.get('/pushes/', async (req, res) => {
    const { principal } = sessionOf(req);
    const b = base(req);
    const token = queryText(req, 'before');
    const before = token === '' ? undefined : decodePosition(token);
    if (token !== '' && before === undefined) throw pageNotFound();
    // One more than a page tells whether there are older ones.
    const found = await ctx.store.listStatuses(principal.user, { limit: PAGE_SIZE + 1, before });
    const page = found.slice(0, PAGE_SIZE);
    const pushes: PushSummary[] = page.map((s) => ({
      url: pushPath(b, s.apiRoot, s.id),
      requested: formatTimestamp(s.requestTimestamp),
      apiRoot: s.apiRoot,
      total: formatCount(s.totalCount),
      successes: formatCount(s.successCount),
      failures: s.failureCount,
      failuresText: plural(s.failureCount, 'failure', 'failures'),
      firstFailures: s.failures.slice(0, LIST_FAILURES).map((f) => ({ id: f.id, message: f.message ?? '' })),
    }));
    const last = page[page.length - 1];
    sendPage(ctx, res, 200, 'pushes', {
      ...layoutFor(req, 'My pushes', { nav: 'pushes' }),
      pushes,
      retentionHours: ctx.config.status.retention_hours,
      olderUrl: found.length > PAGE_SIZE && last ? withQuery(`${b}/pushes/`, { before: encodePosition(last) }) : undefined,
      newestUrl: before ? `${b}/pushes/` : undefined,
    });
  });

  router.get('/pushes/:root/:id/', async (req, res) => {
    const { principal } = sessionOf(req);
    // Another user's status, an expired one and an unknown one are the same NotFoundError.
    const s = await ctx.statuses.get(req.params.id as string, principal.user, req.params.root as string);
    const requested = formatTimestamp(s.requestTimestamp);
    sendPage(ctx, res, 200, 'push', {
      ...layoutFor(req, `Push of ${requested.text}`, { nav: 'pushes' }),
      push: {
        id: s.id,
        apiRoot: s.apiRoot,
        status: s.status,
        requested,
        expires: formatTimestamp(s.expiresAt).text,
        total: formatCount(s.totalCount),
        successCount: formatCount(s.successCount),
        failureCount: formatCount(s.failureCount),
        pendingCount: formatCount(s.pendingCount),
      },
      failures: s.failures.map((f) => ({ id: f.id, version: f.version, message: f.message ?? '' })),
      successes: s.successes.map((f) => ({ id: f.id, version: f.version, message: f.message ?? '' })),
    });
  });
}
