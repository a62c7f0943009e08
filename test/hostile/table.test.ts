/**
 * The hostile-partner table of the hardening issue, one test per row, on both stores (MongoDB at a
 * tenth of the size): what a partner with valid credentials and within the configured limits could
 * do to Taxiway before, and what it gets now. While the heavy cases run, a watchdog polls discovery
 * every 250 ms; no poll may take more than 1 s.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { IDS, PASSWORDS, storeKinds, testConfigObject } from '../support/app';
import { envelope, indicator } from '../support/stix';
import { json, liveApp, scaled, send, Watchdog, type LiveApp } from './harness';

const MiB = 1024 * 1024;
const objectsPath = `/api1/collections/${IDS.rw}/objects/`;

/** The test config with an API root sized like the example deployment's feeds (10 MiB bodies). */
function hostileConfig(): Record<string, unknown> {
  const base = testConfigObject();
  const roots = (base.api_roots as Array<Record<string, unknown>>).map((root) =>
    root.path === 'api1' ? { ...root, max_content_length: 10 * MiB, default_page_size: 100, max_page_size: 1000, max_objects_per_request: 10_000 } : root,
  );
  return { ...base, api_roots: roots };
}

function post(app: LiveApp, body: unknown) {
  return send(app.port, 'POST', objectsPath, { user: 'alice', body: typeof body === 'string' ? body : JSON.stringify(body) });
}

describe.each(storeKinds())('%s store', (storeKind) => {
  let app: LiveApp;
  let watchdog: Watchdog;
  beforeEach(async () => {
    app = await liveApp({ storeKind, config: hostileConfig() });
    watchdog = new Watchdog(app.port);
    watchdog.start();
  });
  afterEach(async () => {
    const { slowestMs, polls } = await watchdog.stop();
    await app.close();
    expect(polls).toBeGreaterThan(0);
    expect(slowestMs).toBeLessThan(1000);
  });

  it('stores an envelope of many versions of one id quickly, each once, with first and last right', async () => {
    const count = scaled(storeKind, 10_000);
    const id = `indicator--${randomUUID()}`;
    const base = Date.UTC(2024, 0, 1);
    const versions = Array.from({ length: count }, (_, i) => indicator({ id, created: '2024-01-01T00:00:00.000Z', modified: new Date(base + (i + 1) * 1000).toISOString() }));
    const body = JSON.stringify(envelope(...versions));
    expect(body.length).toBeGreaterThan(count * 250);
    const started = performance.now();
    const reply = await post(app, body);
    const seconds = (performance.now() - started) / 1000;
    expect(reply.status).toBe(202);
    expect(json(reply)).toMatchObject({ success_count: count, failure_count: 0 });
    if (storeKind === 'sqlite') expect(seconds).toBeLessThan(5);
    const latest = json(await send(app.port, 'GET', `${objectsPath}${id}/`, { user: 'alice' }));
    expect((latest.objects as Array<{ modified: string }>).map((o) => o.modified)).toEqual([versions[count - 1].modified]);
    const first = json(await send(app.port, 'GET', `${objectsPath}${id}/?match[version]=first`, { user: 'alice' }));
    expect((first.objects as Array<{ modified: string }>).map((o) => o.modified)).toEqual([versions[0].modified]);
  }, 120_000);

  it('serves polls of a collection of 9 MB objects in pages under the byte budget, never a 500', async () => {
    const count = scaled(storeKind, 60);
    // The test shares its event loop with the server: bodies are made by one string replacement
    // and pages are read without parsing 27 MB of JSON, so the watchdog measures the server.
    const template = JSON.stringify(envelope({ ...indicator({ id: 'indicator--00000000-0000-4000-8000-000000000000' }), description: 'x'.repeat(9 * MiB) }));
    for (let i = 0; i < count; i++) {
      expect((await post(app, template.replace('00000000-0000-4000-8000-000000000000', randomUUID()))).status).toBe(202);
    }
    let pages = 0;
    let seen = 0;
    let next: string | undefined;
    do {
      const reply = await send(app.port, 'GET', `${objectsPath}${next ? `?next=${next}` : ''}`, { user: 'alice' });
      expect(reply.status).toBe(200);
      expect(reply.body.length).toBeLessThanOrEqual(32 * MiB + 64 * 1024);
      const head = reply.body.subarray(0, 200).toString('utf8');
      for (let at = reply.body.indexOf('"type":"indicator"'); at >= 0; at = reply.body.indexOf('"type":"indicator"', at + 1)) seen++;
      next = /"next":"([^"]+)"/.exec(head)?.[1];
      expect(head.startsWith('{"more":true')).toBe(next !== undefined);
      pages++;
    } while (next !== undefined);
    expect(seen).toBe(count);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(count / 3));

    // Four clients ask for pages and never read them: each holds at most one page of the budget.
    const before = process.memoryUsage().rss;
    const sockets = Array.from({ length: 4 }, () => {
      const socket = net.connect(app.port, '127.0.0.1');
      socket.write(`GET ${objectsPath}?limit=50 HTTP/1.1\r\nHost: localhost\r\nAccept: application/taxii+json\r\nAuthorization: Basic ${Buffer.from(`alice:${PASSWORDS.alice}`).toString('base64')}\r\n\r\n`);
      socket.pause();
      return socket;
    });
    await new Promise((r) => setTimeout(r, 3000));
    const grown = process.memoryUsage().rss - before;
    for (const socket of sockets) socket.destroy();
    expect(grown).toBeLessThan(4 * 64 * MiB);
  }, 300_000);

  it('keeps each status entry short for objects with thousands of problems, and answers other clients meanwhile', async () => {
    const count = scaled(storeKind, 68);
    const labels = Array.from({ length: 50_000 }, () => 1);
    const bad = Array.from({ length: count }, () => ({ ...indicator(), labels }));
    const body = JSON.stringify(envelope(...bad));
    expect(body.length).toBeGreaterThan(count * 100_000);
    const reply = await post(app, body);
    expect(reply.status).toBe(202);
    expect(reply.body.length).toBeLessThan(count * 3000);
    const status = json(reply);
    expect(status).toMatchObject({ success_count: 0, failure_count: count });
    const failures = status.failures as Array<{ message: string }>;
    expect(failures).toHaveLength(count);
    for (const failure of failures) {
      expect(failure.message.split('; ').length).toBeLessThanOrEqual(11);
      expect(failure.message).toMatch(/and (\d+ more problems|possibly more problems)/);
    }
  }, 120_000);

  it('refuses too many match values with 400 naming the parameters, and serves the maximum', async () => {
    // Short values: URLs are limited to 8 KiB (414 above), and the limit must be reachable below it.
    const types = (n: number): string => Array.from({ length: n }, (_, i) => `t${i}`).join(',');
    const versions = (n: number): string => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString().replace('.000Z', 'Z')).join(',');
    const many = await send(app.port, 'GET', `${objectsPath}?match[type]=${types(600)}`, { user: 'alice' });
    expect(many.status).toBe(400);
    expect(json(many).description).toMatch(/match\[type\].*600 values.*at most 500/);
    expect(json(many)).toMatchObject({ http_status: '400' });
    const product = await send(app.port, 'GET', `${objectsPath}?match[type]=${types(200)}&match[version]=${versions(301)}`, { user: 'alice' });
    expect(product.status).toBe(400);
    expect(json(product).description).toMatch(/match\[type\], match\[version\] give 501 values/);
    // The two requests that answered 500 before: 600 types, and 200 types with 300 versions.
    for (const query of [`match[type]=${types(500)}`, `match[type]=${types(200)}&match[version]=${versions(300)}`, `match[id]=${Array.from({ length: 100 }, () => `indicator--${randomUUID()}`).join(',')}`]) {
      const reply = await send(app.port, 'GET', `${objectsPath}?${query}`, { user: 'alice' });
      expect(reply.status).toBe(200);
      for (const path of ['manifest/']) expect((await send(app.port, 'GET', `${objectsPath.replace('objects/', path)}?${query}`, { user: 'alice' })).status).toBe(200);
    }
  }, 60_000);

  describe('what is stored is what is reported', () => {
    async function pushTwice(first: string, second: string): Promise<string> {
      expect(json(await post(app, `{"objects":[${first}]}`))).toMatchObject({ success_count: 1 });
      const again = json(await post(app, `{"objects":[${second}]}`));
      return String((again.successes as Array<{ message: string }> | undefined)?.[0]?.message ?? (again.failures as Array<{ message: string }>)[0].message);
    }
    const base = (): Record<string, unknown> => indicator();
    const text = (o: Record<string, unknown>, extra: string): string => `${JSON.stringify(o).slice(0, -1)},${extra}}`;

    it('tells objects apart inside a "__proto__" key, and stores the key as data', async () => {
      const o = base();
      expect(await pushTwice(text(o, '"x_meta":{"__proto__":{"a":1}}'), text(o, '"x_meta":{"__proto__":{"a":2}}'))).toMatch(/\[conflict\]/);
      expect(await pushTwice(text({ ...base(), id: `indicator--${randomUUID()}` }, '"__proto__":{"b":1}'), '{}')).toBeDefined();
      const stored = json(await send(app.port, 'GET', `${objectsPath}${String(o.id)}/`, { user: 'alice' }));
      expect(JSON.stringify(stored)).toContain('"__proto__":{"a":1}');
    });

    it('compares strings that look like timestamps as written, outside timestamp properties', async () => {
      const o = base();
      expect(await pushTwice(JSON.stringify({ ...o, name: '2024-01-01T00:00:00Z' }), JSON.stringify({ ...o, name: '2024-01-01T00:00:00.000000000Z' }))).toMatch(/\[conflict\]/);
      const p = base();
      expect(await pushTwice(JSON.stringify({ ...p, valid_from: '2024-01-01T00:00:00Z' }), JSON.stringify({ ...p, valid_from: '2024-01-01T00:00:00.000Z' }))).toMatch(/already in the collection/);
    });

    it('never calls two versions a duplicate when they differ below a microsecond', async () => {
      const o = base();
      const a = { ...o, modified: '2024-02-01T00:00:00.0000001Z' };
      const b = { ...o, modified: '2024-02-01T00:00:00.0000002Z' };
      expect(await pushTwice(JSON.stringify(a), JSON.stringify(b))).toMatch(/\[conflict\]/);
    });
  });
});
