/** What every page handler shares: the layout's data, sending a page, the signed-in user. */
import type { Request, Response } from 'express';
import { assetPath } from '../assets';
import type { ConsoleSession } from '../context';
import type { ConsoleContext } from '../deps';
import type { LayoutData, Pages } from '../views';

export function base(req: Request): string {
  return req.baseUrl;
}

export function layoutFor(req: Request, title: string, options: { nav?: LayoutData['nav']; charts?: boolean } = {}): LayoutData {
  const b = base(req);
  const session = req.consoleSession;
  return {
    title,
    base: b,
    assets: {
      css: assetPath(b, 'console.css'),
      js: assetPath(b, 'console.js'),
      icon: assetPath(b, 'icon.svg'),
      chart: options.charts ? assetPath(b, 'chart.umd.min.js') : undefined,
    },
    session: session ? { user: session.principal.user, csrf: session.csrfToken } : undefined,
    nav: options.nav,
  };
}

export function sendPage<K extends keyof Pages>(ctx: ConsoleContext, res: Response, status: number, page: K, data: Pages[K]): void {
  const html = ctx.views.render(page, data);
  res.status(status);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(html));
  res.end(res.req.method === 'HEAD' ? undefined : html);
}

/** The session of a route behind the sign-in check (the check guarantees one). */
export function sessionOf(req: Request): ConsoleSession {
  if (!req.consoleSession) throw new Error('console route reached without a session');
  return req.consoleSession;
}

/** One query parameter as a string ('' when absent or repeated). */
export function queryText(req: Request, name: string): string {
  const value = (req.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}
