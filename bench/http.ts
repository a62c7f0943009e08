/**
 * End-to-end benchmark of the hot paths over real HTTP on loopback: ingest (POST envelopes of
 * 1,000 indicators, validated and stored) and polling (GET pages of 100 through `next`, with
 * several concurrent keep-alive clients), on the embedded store in a temporary file.
 * Prints objects/s, requests/s, latency percentiles and peak RSS.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scryptSync } from 'node:crypto';
import { buildConfig } from '../src/config/load';
import { silentLogger } from '../src/logging';
import { startServer } from '../src/server';
import { createSqliteStore } from '../src/store/sqlite';

const INGEST_OBJECTS = Number(process.env.BENCH_OBJECTS ?? 50_000);
const BATCH = 1000;
const POLL_CLIENTS = 4;
const POLL_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const COLLECTION = '0b1b2a7e-9d5c-4f1e-8a3b-6c7d8e9f0a1b';

function hash(password: string): string {
  const salt = Buffer.from('benchsaltbenchsa');
  return `$scrypt$N=1024,r=8,p=1$${salt.toString('base64')}$${scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 }).toString('base64')}`;
}

function indicator(i: number): Record<string, unknown> {
  const ts = new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString();
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: ts,
    modified: ts,
    name: `Benchmark indicator ${i}`,
    description: 'A malicious IPv4 address seen in a benchmark campaign.',
    indicator_types: ['malicious-activity'],
    pattern: `[ipv4-addr:value = '10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}']`,
    pattern_type: 'stix',
    valid_from: ts,
    labels: ['benchmark'],
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const AUTH = `Basic ${Buffer.from('bench:bench-pw').toString('base64')}`;

function call(port: number, method: string, urlPath: string, body?: string): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path: urlPath, agent, headers: { Accept: 'application/taxii+json;version=2.1', Authorization: AUTH, ...(body ? { 'Content-Type': 'application/taxii+json;version=2.1', 'Content-Length': Buffer.byteLength(body) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'taxiway-bench-'));
  const config = buildConfig({
    server: { port: 0, log_level: 'error' },
    api_roots: [{ path: 'bench', title: 'Bench', max_content_length: 50 * 1024 * 1024, default_page_size: 100, max_page_size: 1000 }],
    collections: [{ id: COLLECTION, api_root: 'bench', title: 'Bench', permissions: { read: { users: ['bench'] }, write: { users: ['bench'] } } }],
    users: [{ name: 'bench', password_hash: hash('bench-pw') }],
    store: { type: 'sqlite', sqlite: { path: path.join(dir, 'bench.db') } },
  });
  const store = createSqliteStore({ path: config.store.sqlite.path });
  await store.open();
  const server = await startServer(config, store, silentLogger());
  const port = (server.server.address() as { port: number }).port;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const base = `/bench/collections/${COLLECTION}/objects/`;

  try {
    // Ingest.
    const envelopes: string[] = [];
    for (let i = 0; i < INGEST_OBJECTS; i += BATCH) envelopes.push(JSON.stringify({ objects: Array.from({ length: Math.min(BATCH, INGEST_OBJECTS - i) }, (_, j) => indicator(i + j)) }));
    const t0 = process.hrtime.bigint();
    for (const body of envelopes) {
      const res = await call(port, 'POST', base, body);
      const status = JSON.parse(res.text) as { failure_count: number };
      if (res.status !== 202 || status.failure_count !== 0) throw new Error(`ingest failed: ${res.status} ${res.text.slice(0, 300)}`);
    }
    const ingestSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`ingest: ${INGEST_OBJECTS} objects in ${ingestSeconds.toFixed(2)} s = ${Math.round(INGEST_OBJECTS / ingestSeconds)} objects/s (envelopes of ${BATCH}, validated and stored)`);

    // Poll: each client walks the whole collection with next, then starts over, until time is up.
    const latencies: number[] = [];
    let objects = 0;
    const deadline = Date.now() + POLL_SECONDS * 1000;
    const client = async (): Promise<void> => {
      let next: string | undefined;
      while (Date.now() < deadline) {
        const started = process.hrtime.bigint();
        const res = await call(port, 'GET', `${base}?limit=100${next ? `&next=${next}` : ''}`);
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (res.status !== 200) throw new Error(`poll failed: ${res.status}`);
        const body = JSON.parse(res.text) as { more?: boolean; next?: string; objects?: unknown[] };
        objects += body.objects?.length ?? 0;
        next = body.more ? body.next : undefined;
      }
    };
    const p0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: POLL_CLIENTS }, client));
    const pollSeconds = Number(process.hrtime.bigint() - p0) / 1e9;
    latencies.sort((a, b) => a - b);
    console.log(
      `poll: ${latencies.length} pages of 100 in ${pollSeconds.toFixed(1)} s with ${POLL_CLIENTS} clients = ${Math.round(latencies.length / pollSeconds)} req/s, ${Math.round(objects / pollSeconds)} objects/s; ` +
        `latency p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`,
    );
    console.log(`peak RSS: ${Math.round(peakRss / 1024 / 1024)} MiB`);
  } finally {
    clearInterval(sampler);
    agent.destroy();
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
