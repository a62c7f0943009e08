/**
 * Starting the processes under test: Taxiway (`bin/taxiway.js serve`, exactly as deployed) and the
 * bare node:http replay server, both pinned to the server core. A server that exits or never becomes
 * healthy is reported with the end of its output, so a broken build or config is obvious.
 */
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { basicAuth, describe, TaxiiClient } from './client';
import { COLLECTION_ID, API_ROOT, PASSWORD, USER, writeServerConfig, type StoreSpec } from './config';
import type { Child, ChildRegistry } from './processes';

/** MongoDB start-up retries with backoff; a minute separates "slow" from "not coming". */
const START_TIMEOUT_MS = 60_000;

export interface Target {
  /** Column name in the report. */
  label: string;
  url: string;
  child: Child;
}

export class ServerStartError extends Error {}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function healthStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/_health/`, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** First line: what happened and the server's last words (for the report); then more of its output. */
function failure(child: Child, why: string): ServerStartError {
  const lines = child.output().trim().split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return new ServerStartError(`${child.name} ${why} (no output)`);
  return new ServerStartError(`${child.name} ${why}; it said: ${lines[lines.length - 1].slice(0, 500)}\nits output ends with:\n${lines.slice(-30).join('\n')}`);
}

/** Polls /_health/ until it answers 200; fails fast when the process exits. */
async function waitHealthy(child: Child, url: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = 0;
  while (Date.now() < deadline) {
    if (child.hasExited()) throw failure(child, `exited during start-up (${await child.exited})`);
    last = await healthStatus(url);
    if (last === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw failure(child, `was not healthy after ${START_TIMEOUT_MS / 1000} s (last /_health/ status: ${last || 'no answer'})`);
}

export function authorization(): string {
  return basicAuth(USER, PASSWORD);
}

/** `cpu` undefined: unpinned. `workers`: passed as `serve --workers`. */
export async function startTaxiway(registry: ChildRegistry, repoRoot: string, dir: string, label: string, store: StoreSpec, cpu: number | undefined, maxObjectsPerRequest: number, workers?: number): Promise<Target> {
  const config = writeServerConfig(dir, store, maxObjectsPerRequest);
  const port = await freePort();
  // The generated config decides: a developer's TAXIWAY_* or LOG_LEVEL must not redirect the store or logs.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TAXIWAY_') && name !== 'LOG_LEVEL'));
  const child = registry.spawnNode(`Taxiway (${label})`, [path.join(repoRoot, 'bin', 'taxiway.js'), 'serve', '--config', config, '--port', String(port), ...(workers === undefined ? [] : ['--workers', String(workers)])], cpu, env);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(child, url);
    // Health needs no credentials; the benchmark does. Check them once, with a readable error.
    const client = new TaxiiClient(url, authorization(), 1);
    const path = `/${API_ROOT}/collections/${COLLECTION_ID}/`;
    const reply = await client.get(path);
    client.close();
    if (reply.status !== 200) throw failure(child, `started but refused the benchmark collection: ${describe('GET', path, reply)}`);
  } catch (err) {
    await registry.stop(child);
    throw err;
  }
  return { label, url, child };
}

export async function startBare(registry: ChildRegistry, recordings: string, cpu: number): Promise<Target> {
  const port = await freePort();
  const child = registry.spawnNode('bare node:http server', [path.join(__dirname, 'bare-server.js'), recordings, String(port)], cpu);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(child, url);
  } catch (err) {
    await registry.stop(child);
    throw err;
  }
  return { label: 'bare node:http', url, child };
}
