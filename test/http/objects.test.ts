import http from 'node:http';
import request from 'supertest';
import { expectTaxii } from '../support/taxii-schemas';
import { IDS, makeTestApp, PASSWORDS, storeKinds, TAXII, taxiiDelete, taxiiGet, taxiiPost, type TestApp } from '../support/app';
import { envelope, indicator, ipv4, malware } from '../support/stix';

const objectsPath = (c: string) => `/api1/collections/${c}/objects/`;
const TS6 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe.each(storeKinds())('%s store', (storeKind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp({ storeKind });
  });
  afterEach(() => t.close());

  async function push(objects: unknown[], collection = IDS.rw, user: keyof typeof PASSWORDS = 'alice') {
    const res = await taxiiPost(t.app, objectsPath(collection), envelope(...objects), user);
    expectTaxii(res, 'status', 202);
    return res.body as { id: string; success_count: number; failure_count: number; successes?: { id: string; version: string; message?: string }[]; failures?: { id: string; version: string; message?: string }[] };
  }

  describe('POST objects', () => {
    test('stores valid objects and answers 202 with a complete status readable by the pusher', async () => {
      const a = indicator();
      const b = malware();
      const status = await push([a, b]);
      expect(status).toMatchObject({ status: 'complete', total_count: 2, success_count: 2, failure_count: 0, pending_count: 0 });
      expect(status.successes?.map((s) => s.id)).toEqual([a.id, b.id]);
      expect(status.successes?.[0].version).toBe('2024-01-01T00:00:00.000000Z');
      const again = await taxiiGet(t.app, `/api1/status/${status.id}/`, 'alice');
      expectTaxii(again, 'status', 200);
      expect(again.body).toEqual(status);
      // Anyone else: the status does not exist.
      expectTaxii(await taxiiGet(t.app, `/api1/status/${status.id}/`, 'admin'), 'error', 404);
      expectTaxii(await taxiiGet(t.app, `/api2/status/${status.id}/`, 'alice'), 'error', 404);
      expectTaxii(await taxiiGet(t.app, `/api1/status/${status.id}/`), 'error', 401);
    });

    test('one bad object does not sink the rest; each failure says why', async () => {
      const good = indicator();
      const status = await push([good, 42, { type: 'indicator', spec_version: '2.1' }, { ...indicator(), id: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }, { ...indicator(), valid_until: '2000-01-01T00:00:00Z' }]);
      expect(status.success_count).toBe(1);
      expect(status.failure_count).toBe(4);
      const messages = status.failures?.map((f) => f.message) ?? [];
      expect(messages[0]).toMatch(/not a JSON object/);
      expect(messages[1]).toMatch(/\/id/);
      expect(messages[2]).toMatch(/indicator--/);
      expect(messages[3]).toMatch(/valid_until/);
      const poll = await taxiiGet(t.app, objectsPath(IDS.rw), 'alice');
      expect(poll.body.objects.map((o: { id: string }) => o.id)).toEqual([good.id]);
    });

    test('an object nested absurdly deep fails alone; the rest of the envelope is stored', async () => {
      const good = indicator();
      const deepObject = JSON.stringify(indicator()).slice(0, -1) + ',"x_deep":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
      const res = await taxiiPost(t.app, objectsPath(IDS.rw), `{"objects":[${JSON.stringify(good)},${deepObject}]}`, 'alice');
      expectTaxii(res, 'status', 202);
      const status = res.body;
      expect(status.success_count).toBe(1);
      expect(status.failures?.[0].message).toMatch(/nesting-depth/);
    });

    test('more objects than the API root allows per envelope is a 413', async () => {
      const res = await taxiiPost(t.app, objectsPath(IDS.rw), envelope(...Array.from({ length: 51 }, () => 5)), 'alice');
      expectTaxii(res, 'error', 413);
      expect(res.body.description).toMatch(/at most 50 objects/);
    });

    test('a body that is not UTF-8 is a 400, not silently altered', async () => {
      const text = JSON.stringify(envelope(indicator({ name: 'MARK' })));
      const bytes = Buffer.concat([Buffer.from(text.split('MARK')[0]), Buffer.from([0xff, 0xfe]), Buffer.from(text.split('MARK')[1])]);
      const server = t.app.listen(0);
      try {
        const port = (server.address() as { port: number }).port;
        const res = await fetch(`http://127.0.0.1:${port}${objectsPath(IDS.rw)}`, {
          method: 'POST',
          headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: `Basic ${Buffer.from(`alice:${PASSWORDS.alice}`).toString('base64')}` },
          body: bytes,
        });
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toBe(TAXII);
        expect(((await res.json()) as { description: string }).description).toMatch(/UTF-8/);
      } finally {
        server.close();
      }
    });

    test('a bundle inside an envelope is refused, not stored as an opaque object', async () => {
      const inner = { type: 'bundle', id: 'bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', objects: [{ type: 'identity', junk: 1 }] };
      const status = await push([indicator(), inner]);
      expect(status.success_count).toBe(1);
      expect(status.failures?.[0].message).toMatch(/bundle-in-envelope/);
      expect((await taxiiGet(t.app, `${objectsPath(IDS.rw)}?match[type]=bundle`, 'alice')).text).toBe('{}');
    });

    test('a STIX bundle is accepted as an envelope', async () => {
      const a = indicator();
      const res = await taxiiPost(t.app, objectsPath(IDS.rw), { type: 'bundle', id: 'bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', objects: [a] }, 'alice');
      expectTaxii(res, 'status', 202);
      expect(res.body.success_count).toBe(1);
    });

    test('duplicates are successes and stored once; same version with other content is a failure', async () => {
      const a = indicator({ modified: '2024-02-01T00:00:00.000Z' });
      await push([a]);
      const dup = await push([{ ...a, modified: '2024-02-01T00:00:00.000000Z' }]);
      expect(dup.success_count).toBe(1);
      expect(dup.successes?.[0].message).toMatch(/already in the collection/);
      const conflict = await push([{ ...a, name: 'changed' }]);
      expect(conflict.failure_count).toBe(1);
      expect(conflict.failures?.[0].message).toMatch(/different object with this id and version/);
      const versions = await taxiiGet(t.app, `${objectsPath(IDS.rw)}${a.id}/versions/`, 'alice');
      expect(versions.body.versions).toEqual(['2024-02-01T00:00:00.000000Z']);
      const stored = await taxiiGet(t.app, `${objectsPath(IDS.rw)}${a.id}/`, 'alice');
      expect(stored.body.objects[0].name).toBe('Test indicator');
    });

    test('objects are served exactly as parsed at ingest (duplicate keys resolved once)', async () => {
      const a = indicator();
      const text = JSON.stringify({ objects: [a] }).replace('"name":"Test indicator"', '"name":"first","name":"Test indicator"');
      const res = await taxiiPost(t.app, objectsPath(IDS.rw), text, 'alice');
      expect(res.body.success_count).toBe(1);
      const poll = await taxiiGet(t.app, objectsPath(IDS.rw), 'alice');
      expect(poll.text).toContain(JSON.stringify(a));
    });

    test('ownership: only the first pusher or a maintainer adds versions; opt-out collections allow everyone', async () => {
      const a = indicator({ modified: '2024-01-01T00:00:00.000Z' });
      await push([a], IDS.rw, 'alice');
      const adminVersion = await push([{ ...a, modified: '2024-03-01T00:00:00.000Z' }], IDS.rw, 'admin');
      expect(adminVersion.success_count).toBe(1);
      const shared = indicator();
      await push([shared], IDS.shared, 'alice');
      const bob = await push([{ ...shared, modified: '2024-05-01T00:00:00.000Z' }], IDS.shared, 'bob');
      expect(bob.success_count).toBe(1);
    });

    test('415 for other content types, 400 for malformed JSON, 422 for non-envelopes', async () => {
      const post = (body: string, type = TAXII) => request(t.app).post(objectsPath(IDS.rw)).set('Accept', TAXII).set('Content-Type', type).auth('alice', PASSWORDS.alice).send(body);
      expectTaxii(await post('{"objects":[]}', 'application/json'), 'error', 415);
      expectTaxii(await post('{"objects":[]}', 'application/taxii+json;version=2.0'), 'error', 415);
      expectTaxii(await post('{"objects": ['), 'error', 400);
      for (const body of ['[]', '"x"', '{}', '{"objects":{}}', '{"objects":[]}', 'null']) {
        const res = await post(body);
        expectTaxii(res, 'error', 422);
      }
    });

    test('413 above max_content_length; exactly the limit is accepted', async () => {
      const base = JSON.stringify(envelope(indicator()));
      // Pad inside the first object with a custom property until the body is exactly `size` bytes.
      const padded = (size: number) => base.slice(0, -3) + ',"x_pad":"' + 'a'.repeat(size - base.length - 11) + '"}]}';
      const exact = padded(20000);
      expect(Buffer.byteLength(exact)).toBe(20000);
      const ok = await taxiiPost(t.app, objectsPath(IDS.rw), exact, 'alice');
      expectTaxii(ok, 'status', 202);
      const over = await taxiiPost(t.app, objectsPath(IDS.rw), padded(20001), 'alice');
      expectTaxii(over, 'error', 413);
    });

    test('a chunked body (no Content-Length) is cut off at the limit with 413', async () => {
      const server = t.app.listen(0);
      try {
        const port = (server.address() as { port: number }).port;
        const status = await new Promise<number>((resolve, reject) => {
          const req = http.request(
            { host: '127.0.0.1', port, method: 'POST', path: objectsPath(IDS.rw), headers: { Accept: TAXII, 'Content-Type': TAXII, 'Transfer-Encoding': 'chunked', Authorization: `Basic ${Buffer.from(`alice:${PASSWORDS.alice}`).toString('base64')}` } },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err)));
          const chunk = '{"objects":[' + ' '.repeat(4000);
          let sent = 0;
          const pump = (): void => {
            // Keep sending well past the limit; the server must answer without waiting for the end.
            if (sent > 200_000 || req.destroyed) return;
            sent += chunk.length;
            req.write(chunk, () => setImmediate(pump));
          };
          pump();
        });
        expect(status).toBe(413);
      } finally {
        server.close();
      }
    });

    test('marking definitions version by created: re-pushing a TLP marking is a duplicate', async () => {
      const tlp = {
        type: 'marking-definition',
        spec_version: '2.1',
        id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
        created: '2017-01-20T00:00:00.000Z',
        definition_type: 'tlp',
        name: 'TLP:GREEN',
        definition: { tlp: 'green' },
      };
      const first = await push([tlp]);
      expect(first.success_count).toBe(1);
      const again = await push([tlp], IDS.rw, 'admin');
      expect(again.success_count).toBe(1);
      expect(again.successes?.[0]).toMatchObject({ version: '2017-01-20T00:00:00.000000Z', message: expect.stringMatching(/already/) });
      const versions = await taxiiGet(t.app, `${objectsPath(IDS.rw)}${tlp.id}/versions/`, 'alice');
      expect(versions.body.versions).toEqual(['2017-01-20T00:00:00.000000Z']);
    });

    test('a STIX 2.0 object needs a collection that stores 2.0', async () => {
      const old = { ...indicator() } as Record<string, unknown>;
      delete old.spec_version;
      const refused = await push([old]);
      expect(refused.failure_count).toBe(1);
      expect(refused.failures?.[0].message).toMatch(/2\.0/);
      const accepted = await push([old], IDS.stix20);
      expect(accepted.success_count).toBe(1);
      const poll = await taxiiGet(t.app, `${objectsPath(IDS.stix20)}?match[spec_version]=2.0`, 'alice');
      expect(poll.body.objects).toHaveLength(1);
      const manifest = await taxiiGet(t.app, `/api1/collections/${IDS.stix20}/manifest/`, 'alice');
      expect(manifest.body.objects[0].media_type).toBe('application/stix+json;version=2.0');
    });
  });

  describe('GET objects, manifest, object, versions', () => {
    test('date_added is assigned, 6-digit, strictly increasing; date headers on every 200', async () => {
      await push([indicator(), indicator(), malware()]);
      const res = await taxiiGet(t.app, objectsPath(IDS.rw), 'alice');
      expectTaxii(res, 'envelope', 200);
      const manifest = await taxiiGet(t.app, `/api1/collections/${IDS.rw}/manifest/`, 'alice');
      expectTaxii(manifest, 'manifest', 200);
      const dates = manifest.body.objects.map((o: { date_added: string }) => o.date_added);
      expect(dates.every((d: string) => TS6.test(d))).toBe(true);
      expect([...dates].sort()).toEqual(dates);
      expect(new Set(dates).size).toBe(3);
      for (const r of [res, manifest]) {
        expect(r.headers['x-taxii-date-added-first']).toBe(dates[0]);
        expect(r.headers['x-taxii-date-added-last']).toBe(dates[2]);
      }
    });

    test('empty results are {} with no date headers, or headers at the requested position', async () => {
      const empty = await taxiiGet(t.app, objectsPath(IDS.rw), 'alice');
      expectTaxii(empty, 'envelope', 200);
      expect(empty.text).toBe('{}');
      expect(empty.headers['x-taxii-date-added-last']).toBeUndefined();
      const after = await taxiiGet(t.app, `${objectsPath(IDS.rw)}?added_after=2030-01-01T00:00:00Z`, 'alice');
      expect(after.text).toBe('{}');
      expect(after.headers['x-taxii-date-added-last']).toBe('2030-01-01T00:00:00.000000Z');
      const manifest = await taxiiGet(t.app, `/api1/collections/${IDS.rw}/manifest/`, 'alice');
      expect(manifest.text).toBe('{}');
    });

    test('three versions: last by default, first, all, exact, and the versions list', async () => {
      const id = indicator().id as string;
      const v = ['2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'];
      await push([indicator({ id, modified: v[1] })]);
      await push([indicator({ id, modified: v[2] })]);
      await push([indicator({ id, modified: v[0] })]); // back-filled: never becomes last
      const get = (q: string) => taxiiGet(t.app, `${objectsPath(IDS.rw)}${id}/${q}`, 'alice');
      const mods = (r: request.Response) => r.body.objects.map((o: { modified: string }) => o.modified);
      expect(mods(await get(''))).toEqual([v[2]]);
      expect(mods(await get('?match[version]=first'))).toEqual([v[0]]);
      expect(mods(await get('?match[version]=first,last'))).toEqual([v[2], v[0]]);
      expect(mods(await get('?match[version]=all'))).toEqual([v[1], v[2], v[0]]);
      expect(mods(await get('?match[version]=2024-02-01T00:00:00Z'))).toEqual([v[1]]);
      const versions = await get('versions/');
      expectTaxii(versions, 'versions', 200);
      expect(versions.body.versions).toEqual(['2024-02-01T00:00:00.000000Z', '2024-03-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z']);
      expect(versions.headers['x-taxii-date-added-first']).toMatch(TS6);
      expectTaxii(await get('?match[version]=all,first'), 'error', 400);
    });

    test('an SCO without timestamps has one fixed version', async () => {
      const sco = ipv4('198.51.100.7');
      await push([sco]);
      const dup = await push([sco]);
      expect(dup.successes?.[0].message).toMatch(/already/);
      const versions = await taxiiGet(t.app, `${objectsPath(IDS.rw)}${sco.id}/versions/`, 'alice');
      expect(versions.body.versions).toEqual(['1970-01-01T00:00:00.000000Z']);
    });

    test('filters: match[type], match[id], added_after, combinations', async () => {
      const i1 = indicator();
      const m1 = malware();
      await push([i1]);
      const first = await taxiiGet(t.app, objectsPath(IDS.rw), 'alice');
      const cut = first.headers['x-taxii-date-added-last'];
      await push([m1, indicator()]);
      const ids = async (q: string) => (await taxiiGet(t.app, `${objectsPath(IDS.rw)}?${q}`, 'alice')).body.objects?.map((o: { id: string }) => o.id) ?? [];
      expect(await ids('match[type]=malware')).toEqual([m1.id]);
      expect((await ids('match[type]=indicator,malware')).length).toBe(3);
      expect(await ids(`match[id]=${i1.id},${m1.id}`)).toEqual([i1.id, m1.id]);
      expect(await ids(`match[id]=${i1.id}&match[type]=malware`)).toEqual([]);
      expect((await ids(`added_after=${cut}`)).length).toBe(2);
      expect(await ids(`added_after=${cut}&match[type]=indicator`)).toHaveLength(1);
      expect(await ids('match[type]=attack-pattern')).toEqual([]);
    });

    test('unknown object ids are 404; single object and versions endpoints are paged', async () => {
      expectTaxii(await taxiiGet(t.app, `${objectsPath(IDS.rw)}indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f/`, 'alice'), 'error', 404);
      expectTaxii(await taxiiGet(t.app, `${objectsPath(IDS.rw)}indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f/versions/`, 'alice'), 'error', 404);
      const known = indicator();
      await push([known]);
      // A known object whose versions are all filtered out is an empty envelope, not a 404.
      for (const path of [`${known.id}/?added_after=2099-01-01T00:00:00Z`, `${known.id}/versions/?added_after=2099-01-01T00:00:00Z`]) {
        const res = await taxiiGet(t.app, `${objectsPath(IDS.rw)}${path}`, 'alice');
        expect(res.status).toBe(200);
        expect(res.text).toBe('{}');
      }
      const id = indicator().id as string;
      for (let m = 1; m <= 7; m++) await push([indicator({ id, modified: `2024-01-0${m}T00:00:00.000Z` })]);
      const page = await taxiiGet(t.app, `${objectsPath(IDS.rw)}${id}/versions/?limit=3`, 'alice');
      expectTaxii(page, 'versions', 200);
      expect(page.body).toMatchObject({ more: true, versions: expect.any(Array) });
      const next = await taxiiGet(t.app, `${objectsPath(IDS.rw)}${id}/versions/?limit=3&next=${page.body.next}`, 'alice');
      expect(next.body.versions).toHaveLength(3);
      const all = await taxiiGet(t.app, `${objectsPath(IDS.rw)}${id}/?match[version]=all&limit=4`, 'alice');
      expectTaxii(all, 'envelope', 200);
      expect(all.body.objects).toHaveLength(4);
      expect(all.body.more).toBe(true);
    });

    test('the default page size applies and larger limits are clamped to the maximum', async () => {
      await push(Array.from({ length: 12 }, () => indicator()));
      const def = await taxiiGet(t.app, objectsPath(IDS.rw), 'alice');
      expect(def.body.objects).toHaveLength(5);
      const clamped = await taxiiGet(t.app, `${objectsPath(IDS.rw)}?limit=5000`, 'alice');
      expect(clamped.body.objects).toHaveLength(10);
      expect(clamped.body.more).toBe(true);
      expect(typeof clamped.body.next).toBe('string');
    });

    test.each([
      ['limit=0'],
      ['limit=-3'],
      ['limit=abc'],
      ['added_after=yesterday'],
      ['next=garbage'],
      ['match[version]=newest'],
      ['match[type]=indicator&match[type]=malware'],
      ['added_after=2020-01-01T00:00:00Z&added_after=2021-01-01T00:00:00Z'],
      ['match[spec_version]=two'],
    ])('?%s is a 400 naming the parameter', async (q) => {
      const res = await taxiiGet(t.app, `${objectsPath(IDS.rw)}?${q}`, 'alice');
      expectTaxii(res, 'error', 400);
      expect(res.body.description).toMatch(new RegExp(q.split('=')[0].replace(/[[\]]/g, '\\$&')));
    });
  });

  describe('pagination', () => {
    async function walk(limit: number, mode: 'next' | 'added_after', during?: (page: number) => Promise<void>) {
      const seen: string[] = [];
      let query = `limit=${limit}`;
      for (let page = 0; page < 500; page++) {
        const res = await taxiiGet(t.app, `${objectsPath(IDS.shared)}?${query}`, 'alice');
        expectTaxii(res, 'envelope', 200);
        seen.push(...(res.body.objects ?? []).map((o: { id: string }) => o.id));
        if (!res.body.more) return seen;
        // Objects added while a walk is under way land after the cursor and must still be seen.
        if (during) await during(page);
        query = mode === 'next' ? `limit=${limit}&next=${res.body.next}` : `limit=${limit}&added_after=${res.headers['x-taxii-date-added-last']}`;
      }
      throw new Error('pagination did not end');
    }

    test.each([
      [1, 'next'],
      [2, 'next'],
      [7, 'next'],
      [10, 'next'],
      [2, 'added_after'],
      [7, 'added_after'],
    ] as const)('limit %s by %s while objects are added: no gaps, no repeats', async (limit, mode) => {
      const initial = Array.from({ length: 15 }, () => indicator());
      await push(initial, IDS.shared);
      const added: string[] = [];
      const seen = await walk(limit, mode, async (page) => {
        if (page < 3) {
          const o = indicator();
          added.push(o.id as string);
          await push([o], IDS.shared);
        }
      });
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual([...initial.map((o) => o.id), ...added]);
    });
  });

  describe('DELETE', () => {
    test('the permission table of §5.7', async () => {
      const del = (c: string, user: keyof typeof PASSWORDS) => taxiiDelete(t.app, `${objectsPath(c)}indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f/`, user);
      expectTaxii(await del(IDS.none, 'alice'), 'error', 404); // R=F W=F
      expectTaxii(await del(IDS.ro, 'alice'), 'error', 403); // R=T W=F
      expectTaxii(await del(IDS.wo, 'alice'), 'error', 403); // R=F W=T
      expectTaxii(await del(IDS.rw, 'alice'), 'error', 404); // R=T W=T, no such object
    });

    test('deletes all versions, or only the matching ones; deleted versions are gone everywhere', async () => {
      const id = indicator().id as string;
      await push([indicator({ id, modified: '2024-01-01T00:00:00.000Z' }), indicator({ id, modified: '2024-02-01T00:00:00.000Z' }), indicator({ id, modified: '2024-03-01T00:00:00.000Z' })]);
      const one = await taxiiDelete(t.app, `${objectsPath(IDS.rw)}${id}/?match[version]=2024-03-01T00:00:00Z`, 'alice');
      expect(one.status).toBe(200);
      expect(one.headers['content-type']).toBe(TAXII);
      const latest = await taxiiGet(t.app, `${objectsPath(IDS.rw)}${id}/`, 'alice');
      expect(latest.body.objects[0].modified).toBe('2024-02-01T00:00:00.000Z');
      expect((await taxiiDelete(t.app, `${objectsPath(IDS.rw)}${id}/`, 'alice')).status).toBe(200);
      expectTaxii(await taxiiGet(t.app, `${objectsPath(IDS.rw)}${id}/`, 'alice'), 'error', 404);
      expect((await taxiiGet(t.app, `${objectsPath(IDS.rw)}?match[id]=${id}&match[version]=all`, 'alice')).text).toBe('{}');
      expect((await taxiiGet(t.app, `/api1/collections/${IDS.rw}/manifest/?match[id]=${id}&match[version]=all`, 'alice')).text).toBe('{}');
    });

    test('only the owner or a maintainer may delete', async () => {
      const a = indicator();
      await push([a], IDS.shared, 'alice');
      // The shared collection opted out of ownership: anyone who can read and write may delete.
      expect((await taxiiDelete(t.app, `${objectsPath(IDS.shared)}${a.id}/`, 'bob')).status).toBe(200);
      const b = indicator();
      await push([b], IDS.rw, 'alice');
      expect((await taxiiDelete(t.app, `${objectsPath(IDS.rw)}${b.id}/`, 'admin')).status).toBe(200);
    });
  });

  describe('status retention', () => {
    test('statuses are kept for the retention, then 404', async () => {
      let now = 1_700_000_000_000_000n;
      const app = await makeTestApp({ storeKind, clock: () => now });
      try {
        const res = await taxiiPost(app.app, objectsPath(IDS.rw), envelope(indicator()), 'alice');
        const id = res.body.id;
        now += 23n * 3600n * 1_000_000n;
        expect((await taxiiGet(app.app, `/api1/status/${id}/`, 'alice')).status).toBe(200);
        now += 2n * 3600n * 1_000_000n;
        expectTaxii(await taxiiGet(app.app, `/api1/status/${id}/`, 'alice'), 'error', 404);
      } finally {
        await app.close();
      }
    });
  });
});
