/**
 * End-to-end HTTP benchmark of Taxiway, as deployed: `bin/taxiway.js serve` in its own process pinned
 * to one core, the load generator (this process) pinned to the other, on deterministic STIX data.
 * Scenarios: ingest, full poll, depth, 64-connection reads, filters, memory; on SQLite, on MongoDB
 * when MONGODB_URI is set, and against a bare node:http server replaying Taxiway's own responses (the
 * ceiling every read figure is compared with). Prints a Markdown table and writes
 * bench/results/latest.md and latest.json.
 *
 *   npm run build && node dist/bench/http.js [--smoke]
 *
 * Settings (environment): BENCH_OBJECTS, BENCH_REPEAT, BENCH_SECONDS, MONGODB_URI, BENCH_MEMORY and
 * the others in docs/performance.md.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StixGenerator } from './data';
import { runBare } from './harness/bare-run';
import { describeMachine } from './harness/machine';
import { dropDatabase, freshDatabaseName } from './harness/mongo';
import { readOptions } from './harness/options';
import type { ReadPlan } from './harness/plan';
import { ChildRegistry, pinSelf } from './harness/processes';
import { Recorder } from './harness/recording';
import { renderJson, renderMarkdown, type Column, type Results } from './harness/report';
import { runStore, type RunContext, type StoreRun } from './harness/taxiway-run';

/** Above this the bare server would hold more than is sensible; the bare walk then covers a prefix. */
const RECORDING_BUDGET_BYTES = Number(process.env.BENCH_RECORD_MB ?? 2048) * 1024 * 1024;

function repositoryRoot(): string {
  // Built to dist/bench/http.js; run from source by ts-node it is bench/http.ts.
  const here = __dirname;
  return path.basename(path.dirname(here)) === 'dist' ? path.resolve(here, '..', '..') : path.resolve(here, '..');
}

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

function failed(err: unknown, registry: ChildRegistry): { state: 'failed'; reason: string } {
  const reason = err instanceof Error ? err.message : String(err);
  // After Ctrl-C every request fails; that is not a finding worth printing.
  if (!registry.interrupted) log(`FAILED: ${reason}`);
  return { state: 'failed', reason };
}

async function main(): Promise<number> {
  const repoRoot = repositoryRoot();
  const options = readOptions(process.argv.slice(2), repoRoot);
  const registry = new ChildRegistry();
  const cores = os.cpus().length;
  const pinProblem = pinSelf(options.clientCpu, cores);
  const server = options.workers === undefined
    ? `server on core ${options.serverCpu}`
    : `Taxiway unpinned with --workers ${options.workers} (bare server on core ${options.serverCpu})`;
  const pinning = pinProblem ?? `${server}, client on core ${options.clientCpu} (taskset)`;
  if (pinProblem) log(`warning: ${pinProblem}`);

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'taxiway-bench-'));
  registry.removeOnExit(tmp);
  const ctx: RunContext = { options, registry, repoRoot, tmp, generator: new StixGenerator(options.seed), log };
  log(`${options.objects} objects (seed '${options.seed}'), ${options.repeats} repeat(s)${options.smoke ? ', smoke run' : ''}; temporary files in ${tmp}`);

  // SQLite first: it is the reference run whose responses the bare server replays.
  const recorder = new Recorder(path.join(tmp, 'recordings.bin'), RECORDING_BUDGET_BYTES);
  let plan: ReadPlan | undefined;
  let sqlite: Column<StoreRun>;
  try {
    const result = await runStore(ctx, 'SQLite', (dir) => ({ type: 'sqlite', path: path.join(dir, 'taxiway.db') }), recorder);
    sqlite = { state: 'ok', value: result.run };
    plan = result.plan;
  } catch (err) {
    sqlite = failed(err, registry);
  } finally {
    recorder.close();
  }
  await registry.unlessInterrupted();

  let mongodb: Column<StoreRun> = { state: 'not run', reason: 'MONGODB_URI is not set' };
  const uri = options.mongodbUri;
  if (uri !== undefined) {
    const database = freshDatabaseName();
    try {
      mongodb = { state: 'ok', value: (await runStore(ctx, 'MongoDB', () => ({ type: 'mongodb', uri, database }))).run };
    } catch (err) {
      mongodb = failed(err, registry);
    } finally {
      await dropDatabase(uri, database).catch((err: unknown) => log(`could not drop the benchmark database ${database}: ${(err as Error).message}`));
    }
  }
  await registry.unlessInterrupted();

  let bare: Results['bare'] = { state: 'not run', reason: 'it replays the SQLite run, which did not complete' };
  if (sqlite.state === 'ok' && plan) {
    try {
      bare = { state: 'ok', value: await runBare(ctx, recorder.file, plan, sqlite.value.reads.walk.pages - recorder.skipped) };
    } catch (err) {
      bare = failed(err, registry);
    }
  }

  await registry.unlessInterrupted();
  const results: Results = { sqlite, mongodb, bare };
  const machine = describeMachine(repoRoot);
  const markdown = renderMarkdown(results, machine, options, pinning);
  mkdirSync(options.resultsDir, { recursive: true });
  writeFileSync(path.join(options.resultsDir, 'latest.md'), markdown);
  writeFileSync(path.join(options.resultsDir, 'latest.json'), renderJson(results, machine, options, pinning));
  process.stdout.write(`\n${markdown}`);
  log(`written to ${path.relative(process.cwd(), options.resultsDir) || '.'}/latest.md and latest.json`);
  await registry.stopAll();
  return [sqlite, mongodb, bare].some((c) => c.state === 'failed') ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
