/**
 * The console's pages over HTTP: what each user sees (exactly what TAXII lets them read), paging,
 * objects byte for byte, pushes and validation. Browser behaviour (scripts, charts, copying,
 * accessibility) is in test/browser/.
 */
import { storeKinds } from '../support/app';
import { seed, SEED, indicatorId } from '../browser/dataset';
import { CONSOLE_IDS, makeConsoleApp, push, type ConsoleTestApp } from '../browser/harness';
import { ConsoleClient, csrfOf, linksOf } from '../browser/http-client';

const feedPath = `/_console/collections/feeds/${CONSOLE_IDS.indicators}/`;
const privatePath = `/_console/collections/feeds/${CONSOLE_IDS.private}/`;
const attackPath = `/_console/collections/reference/${CONSOLE_IDS.attack}/`;

describe.each(storeKinds())('console pages (%s store)', (storeKind) => {
  let t: ConsoleTestApp;
  let failedPushId: string;

  beforeAll(async () => {
    t = await makeConsoleApp({ storeKind });
    ({ failedPushId } = await seed(t));
  });
  afterAll(() => t.close());

  async function as(user: 'dev' | 'analyst' | 'vendor'): Promise<ConsoleClient> {
    const client = new ConsoleClient(t.app);
    const res = await client.signIn(user);
    expect(res.status).toBe(303);
    return client;
  }

  describe('overview', () => {
    it('lists the collections each user may read, and no other', async () => {
      const dev = await (await as('dev')).get('/_console/');
      expect(dev.status).toBe(200);
      expect(linksOf(dev.text)).toEqual(expect.arrayContaining([feedPath, privatePath, attackPath]));
      expect(dev.text).toContain('Shared indicators');
      expect(dev.text).toContain('Partner private');
      expect(dev.text).toContain('MITRE ATT&amp;CK (reference)');

      const analyst = await (await as('analyst')).get('/_console/');
      expect(analyst.text).toContain('MITRE ATT&amp;CK (reference)');
      expect(analyst.text).not.toContain('Shared indicators');
      expect(analyst.text).not.toContain('Partner private');
      expect(analyst.text).not.toContain('Threat intelligence feeds');
      expect(linksOf(analyst.text)).toContain(attackPath);
      expect(linksOf(analyst.text).filter((l) => l.includes('/collections/'))).toEqual([attackPath]);

      const vendor = await (await as('vendor')).get('/_console/');
      expect(vendor.text).toContain('Shared indicators');
      expect(vendor.text).not.toContain('Partner private');
    });

    it('shows counts and a per-day chart of the last 30 days', async () => {
      const res = await (await as('dev')).get('/_console/');
      const chart = /data-chart="([^"]+)"/.exec(res.text);
      const spec = JSON.parse((chart as RegExpExecArray)[1].replace(/&quot;/g, '"')) as { kind: string; labels: string[]; values: number[] };
      expect(spec.kind).toBe('sparkline');
      expect(spec.labels).toHaveLength(30);
      expect(spec.values.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    });
  });

  describe('collection', () => {
    it('is a 404 page alike for forbidden and unknown collections, by id or alias', async () => {
      const analyst = await as('analyst');
      const pages = await Promise.all([feedPath, privatePath, '/_console/collections/feeds/shared-indicators/', '/_console/collections/feeds/00000000-0000-4000-8000-000000000000/', '/_console/collections/nowhere/x/'].map((p) => analyst.get(p)));
      for (const page of pages) {
        expect(page.status).toBe(404);
        expect(page.headers['content-type']).toMatch(/^text\/html/);
      }
      expect(new Set(pages.map((p) => p.text)).size).toBe(1);
      const vendor = await as('vendor');
      expect((await vendor.get(privatePath)).status).toBe(404);
      expect((await vendor.get(`${privatePath}objects/${SEED.privateIndicator}/`)).status).toBe(404);
    });

    it('shows counts by type and pages through every object once with next links', async () => {
      const dev = await as('dev');
      let page = await dev.get(feedPath);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Objects by type');
      const seen: string[] = [];
      for (let i = 0; i < 10; i++) {
        const ids = [...page.text.matchAll(/objects\/([a-z-]+--[0-9a-f-]+)\//g)].map((m) => m[1]);
        seen.push(...new Set(ids));
        const next = linksOf(page.text).find((l) => l.includes('next='));
        if (!next) break;
        page = await dev.get(next);
        expect(page.status).toBe(200);
      }
      const stored = await t.store.queryObjects({ collectionId: CONSOLE_IDS.indicators, versions: { first: false, last: true, exact: [] }, specVersions: { latest: true } }, { limit: 1000 });
      expect(seen).toEqual(stored.items.map((o) => o.id));
      expect(seen.length).toBeGreaterThan(20);
    });

    it('applies the TAXII filters and explains bad ones', async () => {
      const dev = await as('dev');
      const malware = await dev.get(`${feedPath}?type=malware`);
      const ids = [...new Set([...malware.text.matchAll(/objects\/([a-z-]+--[0-9a-f-]+)\//g)].map((m) => m[1]))];
      expect(ids.sort()).toEqual([...SEED.malware].sort());
      const one = await dev.get(`${feedPath}?id=${indicatorId(3)}&version=all`);
      expect(one.text).toContain(indicatorId(3));
      const versions = await dev.get(`${feedPath}?id=${SEED.versioned}&version=all`);
      expect(versions.text.match(/Phishing domain \(/g)).toHaveLength(2);
      const bad = await dev.get(`${feedPath}?added_after=yesterday`);
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('is not a UTC timestamp');
      const badType = await dev.get(`${feedPath}?type=<script>`);
      expect(badType.status).toBe(400);
      expect(badType.text).not.toContain('<script>');
      expect((await dev.get(`${feedPath}?next=forged`)).status).toBe(400);
    });
  });

  describe('object', () => {
    it('shows the stored JSON escaped, its versions and its references', async () => {
      const dev = await as('dev');
      const report = await dev.get(`${feedPath}objects/${SEED.report}/`);
      expect(report.status).toBe(200);
      const links = linksOf(report.text);
      for (const present of [SEED.malware[0], indicatorId(0), SEED.versioned]) expect(links).toContain(`${feedPath}objects/${present}/`);
      expect(links).not.toContain(`${feedPath}objects/${SEED.missing}/`);
      expect(report.text).toContain(`${SEED.missing} <span class="muted">(not in this collection)</span>`);

      const hostile = await dev.get(`${feedPath}objects/${SEED.hostile}/`);
      expect(hostile.text).not.toMatch(/<script>alert|<img src=x|<svg onload|<i>hostile/);
      expect(hostile.text).toContain('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;');
      expect(linksOf(hostile.text).some((l) => l.startsWith('javascript:'))).toBe(false);

      const malware = await dev.get(`${feedPath}objects/${SEED.malware[0]}/`);
      expect(linksOf(malware.text)).toContain('https://intel.example.org/reports/nighthawk');
      expect(linksOf(malware.text).some((l) => l.startsWith('javascript:'))).toBe(false);

      const versioned = await dev.get(`${feedPath}objects/${SEED.versioned}/`);
      expect(versioned.text).toContain('Phishing domain (confirmed)');
      const older = linksOf(versioned.text).find((l) => l.includes('/?version='));
      expect(older).toBeDefined();
      const first = await dev.get(older as string);
      expect(first.text).toContain('Phishing domain (first sighting)');
    });

    it('downloads and copies the stored text byte for byte', async () => {
      const dev = await as('dev');
      const stored = await t.store.queryObjects({ collectionId: CONSOLE_IDS.indicators, ids: [SEED.hostile], versions: { all: true }, specVersions: { any: true } }, { limit: 5 });
      const json = stored.items[0].json;
      const page = await dev.get(`${feedPath}objects/${SEED.hostile}/`);
      const download = linksOf(page.text).find((l) => l.includes('/download'));
      const res = await dev.get(download as string);
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${SEED.hostile}.json"`);
      expect(res.text).toBe(json);
      const copy = /data-copy="([^"]*)"/.exec(page.text) as RegExpExecArray;
      const decoded = copy[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      expect(decoded).toBe(json);
    });

    it('is a 404 page for unknown objects and malformed ids', async () => {
      const dev = await as('dev');
      expect((await dev.get(`${feedPath}objects/indicator--00000000-0000-4000-8000-000000000000/`)).status).toBe(404);
      expect((await dev.get(`${feedPath}objects/not-an-id/`)).status).toBe(404);
      expect((await dev.get(`${feedPath}objects/${SEED.versioned}/?version=2001-01-01T00:00:00Z`)).status).toBe(404);
      expect((await dev.get(`${feedPath}objects/${SEED.versioned}/download?version=nonsense`)).status).toBe(404);
    });
  });

  describe('my pushes', () => {
    it('lists only the user\'s own statuses, newest first, with every failure message', async () => {
      const vendor = await as('vendor');
      const list = await vendor.get('/_console/pushes/');
      expect(list.status).toBe(200);
      expect(list.text).toContain('2 failures');
      const detail = await vendor.get(`/_console/pushes/feeds/${failedPushId}/`);
      expect(detail.status).toBe(200);
      const status = await t.store.getStatus(failedPushId);
      for (const f of status?.failures ?? []) expect(detail.text).toContain(f.message?.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
      // The one accepted object is listed under Successes, in its own table.
      expect(status?.successes).toHaveLength(1);
      const successes = detail.text.slice(detail.text.indexOf('id="successes-h"'));
      expect(successes).toContain('aria-labelledby="successes-h"');
      expect(successes).toContain(status?.successes[0].id);

      const dev = await as('dev');
      const devList = await dev.get('/_console/pushes/');
      expect(devList.text).not.toContain(failedPushId);
      expect(devList.text).not.toContain('2 failures');
      expect((await dev.get(`/_console/pushes/feeds/${failedPushId}/`)).status).toBe(404);
      expect((await vendor.get(`/_console/pushes/reference/${failedPushId}/`)).status).toBe(404);
    });

    it('pages back through older pushes', async () => {
      for (let i = 0; i < 21; i++) await push(t.taxii, 'reference', CONSOLE_IDS.attack, 'dev', [{ type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--0d2f3c1e-5b6a-4c7d-8e9f-0a1b2c3d4e5f', value: '198.51.100.7' }]);
      const dev = await as('dev');
      const first = await dev.get('/_console/pushes/');
      const older = linksOf(first.text).find((l) => l.includes('before='));
      expect(older).toBeDefined();
      expect((await dev.get(older as string)).status).toBe(200);
      expect((await dev.get('/_console/pushes/?before=garbage')).status).toBe(404);
    });
  });

  describe('validate', () => {
    const good = { type: 'malware', spec_version: '2.1', id: 'malware--0d2f3c1e-5b6a-4c7d-8e9f-0a1b2c3d4e5f', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', name: 'x', is_family: true };

    it('checks pasted STIX with the messages of a push and stores nothing', async () => {
      const vendor = await as('vendor');
      const form = await vendor.get('/_console/validate');
      const csrf = csrfOf(form.text.slice(form.text.indexOf('<main')));
      const bad = { ...good, id: 'malware--0d2f3c1e-5b6a-4c7d-8e9f-0a1b2c3d4e60', is_family: 'yes' };
      const res = await vendor.post('/_console/validate', { _csrf: csrf, target: 'policy:strict', stix: JSON.stringify({ objects: [good, bad] }) });
      expect(res.status).toBe(200);
      expect(res.text).toContain('2 objects: 1 valid, 1 invalid.');
      expect(res.text).toContain('is_family');
      expect(await t.store.hasObject(CONSOLE_IDS.indicators, good.id)).toBe(false);

      const single = await vendor.post('/_console/validate', { _csrf: csrf, target: `collection:feeds/${CONSOLE_IDS.indicators}`, stix: JSON.stringify(good) });
      expect(single.text).toContain('1 object: 1 valid, 0 invalid.');
      expect(single.text).toContain('Checked as a single object');

      const notJson = await vendor.post('/_console/validate', { _csrf: csrf, target: 'policy:standard', stix: '{"objects": [' });
      expect(notJson.status).toBe(422);
      expect(notJson.text).toContain('The input is not valid JSON');
    });

    it('refuses collections the user may not push to, more than 1 MiB, and posts without the token', async () => {
      const analyst = await as('analyst');
      const form = await analyst.get('/_console/validate');
      expect(form.text).not.toContain(`collection:reference/${CONSOLE_IDS.attack}`);
      const csrf = csrfOf(form.text.slice(form.text.indexOf('<main')));
      expect((await analyst.post('/_console/validate', { _csrf: csrf, target: `collection:reference/${CONSOLE_IDS.attack}`, stix: '{}' })).status).toBe(400);
      const big = await analyst.post('/_console/validate', { _csrf: csrf, target: 'policy:standard', stix: `{"objects":[],"pad":"${'x'.repeat(1024 * 1024)}"}` });
      expect(big.status).toBe(413);
      expect((await analyst.post('/_console/validate', { target: 'policy:standard', stix: JSON.stringify(good) })).status).toBe(403);
    });
  });
});
