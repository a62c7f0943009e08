/**
 * A browser-like client for the console's API tests: it keeps the console's cookies, reads the
 * CSRF token from each form and sends an Origin header on posts, as a browser does.
 */
import type { Express } from 'express';
import request from 'supertest';
import { CONSOLE_PASSWORDS, type ConsoleUser } from './harness';

export const ORIGIN = 'http://console.test';

export class ConsoleClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly app: Express) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Takes the Set-Cookie headers of a response, as a browser would (expired ones are removed). */
  private keep(res: request.Response): void {
    const set = res.headers['set-cookie'] as unknown;
    for (const line of Array.isArray(set) ? (set as string[]) : []) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string): Promise<request.Response> {
    const res = await request(this.app).get(path).set('Host', 'console.test').set('Accept', 'text/html').set('Cookie', this.cookieHeader());
    this.keep(res);
    return res;
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = { Origin: ORIGIN }): Promise<request.Response> {
    let r = request(this.app).post(path).set('Host', 'console.test').set('Accept', 'text/html').set('Cookie', this.cookieHeader()).type('form');
    for (const [name, value] of Object.entries(headers)) r = r.set(name, value);
    const res = await r.send(form);
    this.keep(res);
    return res;
  }

  async signIn(user: ConsoleUser, password: string = CONSOLE_PASSWORDS[user]): Promise<request.Response> {
    const page = await this.get('/_console/sign-in');
    return this.post('/_console/sign-in', { _csrf: csrfOf(page.text), user, password, next: '/_console/' });
  }
}

/** The CSRF token of the first form on a page. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1];
}

/** The href values of the links on a page (entities decoded). */
export function linksOf(html: string): string[] {
  return [...html.matchAll(/<a [^>]*href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
}
