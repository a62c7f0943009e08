/**
 * The harness's settings, from environment variables (so `npm run bench` needs no argument parsing)
 * and a `--smoke` flag for CI. Every knob is listed in docs/performance.md.
 */
import path from 'node:path';
import { DEFAULT_SEED } from '../data';

export interface BenchOptions {
  objects: number;
  seed: string;
  repeats: number;
  /** Duration of each 64-connection autocannon run. */
  loadSeconds: number;
  /** Duration of each filter autocannon run. */
  filterSeconds: number;
  /** Untimed autocannon run before each measured URL (none in smoke runs). */
  warmupSeconds: number;
  connections: number;
  ingestClients: number;
  envelopeSize: number;
  pageLimit: number;
  depthSamples: number;
  memoryPush: { run: boolean; bytes: number; reason: string };
  mongodbUri?: string;
  serverCpu: number;
  /**
   * `taxiway serve --workers N`; the server then runs unpinned (its processes may use every core,
   * the load generator stays on its own). Unset: one process pinned to `serverCpu`.
   */
  workers?: number;
  clientCpu: number;
  /** From bench/store.ts via scripts/bench.js, when that ran first. */
  storeInsertRowsPerSecond?: number;
  resultsDir: string;
  smoke: boolean;
}

/** Runs this small are CI smoke tests: one repeat of short runs. */
const SMOKE_OBJECTS = 300;
const SMALL_RUN = 5000;
/** Depth and memory are the figures the issue states for a million objects. */
const LARGE_RUN = 1_000_000;

function integer(name: string, fallback: number, min = 1): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, not '${text}'`);
  return value;
}

function positive(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export function readOptions(argv: readonly string[], repoRoot: string): BenchOptions {
  const smokeFlag = argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';
  const objects = integer('BENCH_OBJECTS', smokeFlag ? SMOKE_OBJECTS : 100_000, 10);
  const smoke = smokeFlag || objects < SMALL_RUN;
  const loadSeconds = integer('BENCH_SECONDS', smoke ? 1 : 10);
  const memoryForced = process.env.BENCH_MEMORY === '1';
  const memoryRun = memoryForced || (objects >= LARGE_RUN && process.env.BENCH_MEMORY !== '0');
  return {
    objects,
    seed: process.env.BENCH_SEED ?? DEFAULT_SEED,
    repeats: integer('BENCH_REPEAT', smoke ? 1 : 3),
    loadSeconds,
    filterSeconds: integer('BENCH_FILTER_SECONDS', Math.max(1, Math.round(loadSeconds / 2))),
    warmupSeconds: integer('BENCH_WARMUP_SECONDS', smoke ? 0 : 1, 0),
    connections: integer('BENCH_CONNECTIONS', 64),
    ingestClients: integer('BENCH_INGEST_CLIENTS', 8),
    envelopeSize: integer('BENCH_ENVELOPE', 1000),
    pageLimit: 1000,
    depthSamples: integer('BENCH_DEPTH_SAMPLES', smoke ? 20 : 200),
    memoryPush: {
      run: memoryRun,
      bytes: integer('BENCH_MEMORY_MB', 1024) * 1024 * 1024,
      reason: memoryRun ? '' : `not run (needs BENCH_OBJECTS ≥ ${LARGE_RUN.toLocaleString('en-US')} or BENCH_MEMORY=1)`,
    },
    mongodbUri: process.env.MONGODB_URI || undefined,
    serverCpu: integer('BENCH_SERVER_CPU', 0, 0),
    workers: process.env.BENCH_WORKERS ? integer('BENCH_WORKERS', 1) : undefined,
    clientCpu: integer('BENCH_CLIENT_CPU', 1, 0),
    storeInsertRowsPerSecond: positive('BENCH_STORE_INSERT_ROWS'),
    resultsDir: path.resolve(repoRoot, process.env.BENCH_RESULTS_DIR ?? path.join('bench', 'results')),
    smoke,
  };
}
