/**
 * What the hostile-partner tests share: a real HTTP server around the app (so slow work in the
 * server shows up as slow answers to other clients), a watchdog that polls discovery every 250 ms
 * and remembers the slowest answer, and sizes scaled down on the MongoDB test server (FerretDB is
 * far slower than MongoDB; there the limits are watchdogs, not speed targets).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeTestApp, PASSWORDS, type StoreKind, type TestApp, type TestAppOptions } from '../support/app';

export const TAXII = 'application/taxii+json;version=2.1';

export interface LiveApp extends TestApp {
  port: number;
  server: http.Server;
}

export async function liveApp(options: TestAppOptions = {}): Promise<LiveApp> {
  const t = await makeTestApp(options);
  const server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    ...t,
    port,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

export interface Reply {
  status: number;
  body: Buffer;
  headers: http.IncomingHttpHeaders;
}

/** One request; `user` signs in with its test password. */
export function send(port: number, method: string, path: string, options: { user?: keyof typeof PASSWORDS; body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: TAXII, ...options.headers };
    if (options.body !== undefined && headers['Content-Type'] === undefined) headers['Content-Type'] = TAXII;
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, auth: options.user ? `${options.user}:${PASSWORDS[options.user]}` : undefined }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export function json(reply: Reply): Record<string, unknown> {
  return JSON.parse(reply.body.toString('utf8')) as Record<string, unknown>;
}

/**
 * Polls discovery every 250 ms and records, for each poll, the time from when it was due to when
 * its answer arrived: a server that blocks the event loop (this process's, shared with the test)
 * delays both the poll's start and its answer, and both count.
 */
export class Watchdog {
  private readonly latencies: number[] = [];
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly port: number) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      let due = performance.now();
      while (this.running) {
        due += 250;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const reply = await send(this.port, 'GET', '/taxii2/', { user: 'alice' });
        if (reply.status !== 200) throw new Error(`discovery answered ${reply.status}`);
        this.latencies.push(performance.now() - due);
        // A poll that was late does not make the next ones look late too.
        due = Math.max(due, performance.now() - 250);
      }
    })();
  }

  /** Stops and returns the slowest poll in ms and how many polls there were. */
  async stop(): Promise<{ slowestMs: number; polls: number }> {
    this.running = false;
    await this.loop;
    return { slowestMs: Math.max(0, ...this.latencies), polls: this.latencies.length };
  }
}

/** The full size on SQLite; a tenth on MongoDB (FerretDB in CI). */
export function scaled(storeKind: StoreKind, full: number): number {
  return storeKind === 'sqlite' ? full : Math.max(1, Math.round(full / 10));
}
