/** GET /_metrics/: who may read it, what it counts, and that no label carries client data. */
import request from 'supertest';
import { Metrics } from '../../src/metrics/metrics';
import { IDS, makeTestApp, PASSWORDS, storeKinds, taxiiGet, taxiiPost, testConfigObject, type TestApp } from '../support/app';
import { expectTaxii } from '../support/taxii-schemas';
import { envelope, indicator } from '../support/stix';

const objectsPath = `/api1/collections/${IDS.rw}/objects/`;

async function appWith(metricsConfig: Record<string, unknown>, storeKind: 'sqlite' | 'mongodb' = 'sqlite'): Promise<{ t: TestApp; metrics: Metrics }> {
  const metrics = new Metrics({ processMetrics: false });
  const t = await makeTestApp({ storeKind, config: testConfigObject({ metrics: metricsConfig }), app: { metrics } });
  metrics.watchStore(t.store);
  return { t, metrics };
}

/** The value of one series in the exposition text, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  it('is off by default: /_metrics/ is not there', async () => {
    const t = await makeTestApp({ app: { metrics: new Metrics({ processMetrics: false }) } });
    try {
      expectTaxii(await request(t.app).get('/_metrics/').auth('admin', PASSWORDS.admin), 'error', 404);
    } finally {
      await t.close();
    }
  });

  it('serves loopback (the default allow-list) in Prometheus text format, whatever the Accept', async () => {
    const { t } = await appWith({ enabled: true });
    try {
      const res = await request(t.app).get('/_metrics/').set('Accept', 'application/openmetrics-text;version=1.0.0,text/plain;q=0.5');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.text).toMatch(/# TYPE taxiway_http_requests_total counter/);
      expect(sample(res.text, 'taxiway_store_up')).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('answers other addresses 401 anonymously and 403 to users not listed; listed users may scrape', async () => {
    const { t } = await appWith({ enabled: true, allow_addresses: ['10.0.0.0/8'], users: ['admin'] });
    try {
      const anonymous = await request(t.app).get('/_metrics/');
      expectTaxii(anonymous, 'error', 401);
      expect(anonymous.headers['www-authenticate']).toMatch(/Basic/);
      expectTaxii(await request(t.app).get('/_metrics/').auth('alice', PASSWORDS.alice), 'error', 403);
      expectTaxii(await request(t.app).get('/_metrics/').auth('admin', 'wrong'), 'error', 401);
      expect((await request(t.app).get('/_metrics/').auth('admin', PASSWORDS.admin)).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  describe.each(storeKinds())('%s store', (storeKind) => {
    it('counts requests by route template, objects by outcome and reason, pages and failed sign-ins; no label carries client data', async () => {
      const { t, metrics } = await appWith({ enabled: true }, storeKind);
      try {
        const good = indicator();
        await taxiiPost(t.app, objectsPath, envelope(good, { ...indicator(), pattern: 'not a pattern' }), 'alice');
        await taxiiPost(t.app, objectsPath, envelope(good), 'alice');
        await taxiiGet(t.app, `${objectsPath}?limit=1`, 'alice');
        await taxiiGet(t.app, `${objectsPath}${String(good.id)}/`, 'alice');
        await taxiiGet(t.app, '/taxii2/', 'alice').auth('alice', 'not-her-password');
        await taxiiGet(t.app, '/no-such-root/', 'alice');
        const text = await metrics.text();
        expect(sample(text, 'taxiway_objects_ingested_total{outcome="stored",reason=""}')).toBe(1);
        expect(sample(text, 'taxiway_objects_ingested_total{outcome="duplicate",reason=""}')).toBe(1);
        expect(sample(text, 'taxiway_objects_ingested_total{outcome="failed",reason="pattern-syntax"}')).toBe(1);
        expect(sample(text, 'taxiway_objects_pushed_total')).toBe(3);
        expect(sample(text, 'taxiway_pages_served_total{endpoint="objects"}')).toBe(1);
        expect(sample(text, 'taxiway_objects_served_total{endpoint="object"}')).toBe(1);
        expect(sample(text, 'taxiway_auth_failures_total')).toBe(1);
        expect(sample(text, 'taxiway_http_requests_total{route="/:root/collections/:collection/objects/",method="POST",status="202"}')).toBe(2);
        expect(sample(text, 'taxiway_http_requests_total{route="/:root/",method="GET",status="404"}')).toBe(1);
        for (const secret of ['alice', 'not-her-password', IDS.rw, String(good.id), 'no-such-root', '127.0.0.1']) expect(text).not.toContain(secret);
      } finally {
        await t.close();
      }
    });
  });
});

describe('metrics.port', () => {
  it('serves /_metrics/ on its own listener, and the main port does not serve it', async () => {
    const net = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = s.address() as { port: number };
        s.close(() => resolve(p));
      });
    });
    const metrics = new Metrics({ processMetrics: false });
    const t = await makeTestApp({ config: testConfigObject({ metrics: { enabled: true, port } }), app: { metrics } });
    const { startMetricsServer } = await import('../../src/server');
    const { silentLogger } = await import('../../src/logging');
    const listener = await startMetricsServer(t.config, { store: t.store, logger: silentLogger(), metrics });
    try {
      expect((await request(`http://127.0.0.1:${port}`).get('/_metrics/')).status).toBe(200);
      expect((await request(`http://127.0.0.1:${port}`).get('/taxii2/')).status).toBe(404);
      expectTaxii(await request(t.app).get('/_metrics/').auth('admin', PASSWORDS.admin), 'error', 404);
    } finally {
      await listener.stop(100);
      await t.close();
    }
  });
});
