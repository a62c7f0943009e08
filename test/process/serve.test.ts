/**
 * `taxiway serve` as an operator runs it: a real process (and a cluster of two workers), signals,
 * the pid file and `taxiway reload`. Uses the built CLI (dist/), building it first when stale.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { IDS, PASSWORDS, testConfigObject, testHash } from '../support/config';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'taxiway.js');
const TAXII = 'application/taxii+json;version=2.1';

beforeAll(() => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-if-needed.js')], { cwd: ROOT, stdio: 'inherit' });
}, 120_000);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface Served {
  child: ChildProcess;
  port: number;
  dir: string;
  configPath: string;
  log: () => string;
  exited: Promise<number | null>;
}

async function serve(extra: Record<string, unknown> = {}, args: string[] = []): Promise<Served> {
  const dir = mkdtempSync(path.join(tmpdir(), 'taxiway-serve-'));
  const port = await freePort();
  const configPath = path.join(dir, 'taxiway.yaml');
  const config = testConfigObject({
    server: { host: '127.0.0.1', port, log_level: 'info', log_format: 'json', pid_file: path.join(dir, 'taxiway.pid'), shutdown_grace_seconds: 10 },
    store: { type: 'sqlite', sqlite: { path: path.join(dir, 'taxiway.db') } },
    ...extra,
  });
  writeFileSync(configPath, stringify(config));
  const child = spawn(process.execPath, [CLI, 'serve', '--config', configPath, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!/listening on|started \d+ workers/.test(output) || (await health(port)) !== 200) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, port, dir, configPath, log: () => output, exited };
}

function health(port: number): Promise<number> {
  return new Promise((resolve) => {
    http.get({ port, host: '127.0.0.1', path: '/_health/' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', () => resolve(0));
  });
}

function get(port: number, urlPath: string, user: string, password: string, agent?: http.Agent): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ port, host: '127.0.0.1', path: urlPath, agent, auth: `${user}:${password}`, headers: { Accept: TAXII } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
      })
      .on('error', reject);
  });
}

function rewrite(configPath: string, change: (config: Record<string, unknown>) => void): void {
  const config = parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  change(config);
  writeFileSync(configPath, stringify(config));
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const objects = `/api1/collections/${IDS.rw}/objects/`;

describe('taxiway serve, one process', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve();
  }, 60_000);
  afterAll(() => {
    if (s.child.exitCode === null) s.child.kill('SIGKILL');
    rmSync(s.dir, { recursive: true, force: true });
  });

  it('writes its pid file, and taxiway reload (SIGHUP) applies a new user without dropping a polling client', async () => {
    expect(Number(readFileSync(path.join(s.dir, 'taxiway.pid'), 'utf8'))).toBe(s.child.pid);
    const agent = new http.Agent({ keepAlive: true });
    const statuses: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) statuses.push((await get(s.port, objects, 'alice', PASSWORDS.alice, agent)).status);
    })();
    expect((await get(s.port, objects, 'erin', 'erin-pw')).status).toBe(401);
    rewrite(s.configPath, (config) => {
      (config.users as unknown[]).push({ name: 'erin', password_hash: testHash('erin-pw'), groups: ['readers'] });
    });
    expect(execFileSync(process.execPath, [CLI, 'reload', '--config', s.configPath], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('');
    await until(async () => (await get(s.port, `/api1/collections/${IDS.ro}/objects/`, 'erin', 'erin-pw')).status === 200, 'the reloaded user');
    polling = false;
    await poller;
    agent.destroy();
    expect(statuses.filter((code) => code !== 200)).toEqual([]);
    expect(s.log()).toMatch(/configuration reloaded/);
  });

  it('refuses an invalid file on reload, logs every problem and keeps serving the old configuration', async () => {
    const good = readFileSync(s.configPath, 'utf8');
    writeFileSync(s.configPath, `${good}\nnot_a_key: 1\n`);
    s.child.kill('SIGHUP');
    await until(() => /configuration reload refused/.test(s.log()), 'the refusal');
    expect(s.log()).toMatch(/unknown key 'not_a_key'/);
    expect((await get(s.port, objects, 'alice', PASSWORDS.alice)).status).toBe(200);
    writeFileSync(s.configPath, good);
  });

  it('stops on SIGTERM with exit code 0 and removes its pid file', async () => {
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(existsSync(path.join(s.dir, 'taxiway.pid'))).toBe(false);
  });
});

describe('taxiway serve --workers 2', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve({ metrics: { enabled: true } }, ['--workers', '2']);
  }, 60_000);
  afterAll(() => {
    if (s.child.exitCode === null) s.child.kill('SIGKILL');
    rmSync(s.dir, { recursive: true, force: true });
  });

  it('serves from both workers, reloads them all, and aggregates metrics across them', async () => {
    for (let i = 0; i < 20; i++) expect((await get(s.port, objects, 'alice', PASSWORDS.alice)).status).toBe(200);
    rewrite(s.configPath, (config) => {
      (config.users as unknown[]).push({ name: 'erin', password_hash: testHash('erin-pw'), groups: ['readers'] });
    });
    s.child.kill('SIGHUP');
    // Every worker must have the new user: ask often enough to reach both.
    await until(async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => get(s.port, `/api1/collections/${IDS.ro}/objects/`, 'erin', 'erin-pw', new http.Agent())));
      return results.every((r) => r.status === 200);
    }, 'both workers to reload');
    const metrics = await new Promise<string>((resolve, reject) => {
      http.get({ port: s.port, host: '127.0.0.1', path: '/_metrics/' }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      }).on('error', reject);
    });
    const line = metrics.split('\n').find((l) => l.startsWith('taxiway_http_requests_total{route="/:root/collections/:collection/objects/",method="GET",status="200"}'));
    expect(Number(line?.split(' ').pop())).toBeGreaterThanOrEqual(20);
    expect(s.log()).toMatch(/started 2 workers/);
  });

  it('stops every worker on SIGTERM, with exit code 0', async () => {
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });
});
