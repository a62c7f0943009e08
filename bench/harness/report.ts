/**
 * The report: one Markdown table (rows = scenarios; columns = SQLite, MongoDB, bare node:http,
 * target), with every Taxiway read figure also given as a fraction of the bare server's, and a JSON
 * file with the raw samples and the machine they were taken on.
 */
import type { BareRun } from './bare-run';
import type { Machine } from './machine';
import type { BenchOptions } from './options';
import type { FilterKey } from './plan';
import type { LoadFigures, ReadResults } from './reads';
import type { Figure } from './stats';
import type { StoreRun } from './taxiway-run';

export type Column<T> = { state: 'ok'; value: T } | { state: 'not run' | 'failed'; reason: string };

export interface Results {
  sqlite: Column<StoreRun>;
  mongodb: Column<StoreRun>;
  bare: Column<BareRun>;
}

/** The issue's targets. RSS is stated for a million objects, so smaller runs are not marked. */
export const TARGETS = {
  ingestObjectsPerSecond: 25_000,
  storeInsertRowsPerSecond: 100_000,
  fullPollFractionOfBare: 0.5,
  loadRequestsPerSecond: 3000,
  loadP99Ms: 50,
  depthRatio: 1.5,
  rssMiB: 300,
  rssObjects: 1_000_000,
};

const FILTER_ORDER: FilterKey[] = ['type', 'ids', 'versionAll', 'addedAfter'];

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n < 10 ? n.toFixed(1) : String(Math.round(n)));
const ratio = (n: number): string => `×${n.toFixed(2)}`;
const mib = (bytes: number): string => (bytes < 10 * 1024 ** 2 ? (bytes / 1024 ** 2).toFixed(1) : int(bytes / 1024 ** 2));
const mark = (ok: boolean | undefined): string => (ok === undefined ? '' : ok ? ' ✅' : ' ❌');

function spread(f: Figure, format: (n: number) => string): string {
  return f.samples.length > 1 ? ` [${format(f.min)}–${format(f.max)}]` : '';
}

function ofBare(value: number, bare: number | undefined): string {
  return bare === undefined || !(bare > 0) ? '' : ` · ${Math.round((100 * value) / bare)} % of bare`;
}

function problems(l: LoadFigures): string {
  const parts = [l.non2xx > 0 ? `${int(l.non2xx)} non-2xx` : '', l.errors > 0 ? `${int(l.errors)} errors` : '', l.timeouts > 0 ? `${int(l.timeouts)} timeouts` : ''].filter((p) => p !== '');
  return parts.length > 0 ? ` ⚠ ${parts.join(', ')}` : '';
}

function cellOf<T>(column: Column<T>, render: (value: T) => string): string {
  return column.state === 'ok' ? render(column.value) : column.state;
}

function readsOf(column: Column<StoreRun> | Column<BareRun>): ReadResults | undefined {
  return column.state === 'ok' ? column.value.reads : undefined;
}

export function renderMarkdown(results: Results, machine: Machine, options: BenchOptions, pinning: string): string {
  const bare = readsOf(results.bare);
  const stores = [results.sqlite, results.mongodb];
  const row = (scenario: string, cells: string[], target: string): string => `| ${scenario} | ${cells.join(' | ')} | ${target} |`;
  const perStore = (render: (run: StoreRun) => string, bareCell: string): string[] => [...stores.map((c) => cellOf(c, render)), bareCell];
  const bigRun = options.objects >= TARGETS.rssObjects;

  const loadCell = (l: LoadFigures, bareLoad: LoadFigures | undefined, meets?: (l: LoadFigures) => boolean, withP50 = true): string =>
    l.requestsPerSecond.max === 0
      ? `no request completed${meets ? mark(false) : ''}${problems(l)}`
      : `${int(l.requestsPerSecond.median)} req/s${spread(l.requestsPerSecond, int)}${withP50 ? ` · p50 ${ms(l.p50Ms.median)} ms` : ''} · p99 ${ms(l.p99Ms.median)} ms${ofBare(l.requestsPerSecond.median, bareLoad?.requestsPerSecond.median)}${meets ? mark(meets(l)) : ''}${problems(l)}`;
  const meetsLoad = (l: LoadFigures): boolean => l.requestsPerSecond.median >= TARGETS.loadRequestsPerSecond && l.p99Ms.median < TARGETS.loadP99Ms;
  const depthCell = (r: ReadResults, withMark: boolean): string =>
    `${ratio(r.depth.ratio.median)} (${ms(r.depth.firstMs.median)} → ${ms(r.depth.deepMs.median)} ms)${spread(r.depth.ratio, ratio)}${withMark ? mark(r.depth.ratio.median <= TARGETS.depthRatio) : ''}`;

  const lines = [
    '# Taxiway benchmark',
    '',
    `${machine.date} · commit ${machine.gitCommit.slice(0, 10)}${machine.gitDirty ? ' (with uncommitted changes)' : ''} · BENCH_OBJECTS=${int(options.objects)} · ${options.repeats} repeat(s), median [min–max]`,
    '',
    `${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB · Node ${machine.node} · ${machine.os} · ${pinning}`,
    '',
    '| Scenario | SQLite | MongoDB | bare node:http | Target |',
    '|---|---|---|---|---|',
    row(`1. Ingest: envelopes of ${int(options.envelopeSize)}, ${options.ingestClients} clients (objects/s)`, perStore((r) => `${int(r.ingest.objectsPerSecond)}${mark(r.ingest.objectsPerSecond >= TARGETS.ingestObjectsPerSecond)}`, '—'), `≥ ${int(TARGETS.ingestObjectsPerSecond)}`),
    row(
      'Store insert alone, bench/store.ts (rows/s)',
      [
        options.storeInsertRowsPerSecond === undefined ? 'see bench/store.ts output' : `${int(options.storeInsertRowsPerSecond)}${mark(options.storeInsertRowsPerSecond >= TARGETS.storeInsertRowsPerSecond)}`,
        '—',
        '—',
      ],
      `≥ ${int(TARGETS.storeInsertRowsPerSecond)}`,
    ),
    row(
      '2. Full poll: limit=1000 through next (objects/s)',
      perStore(
        (r) => {
          const f = r.reads.fullPoll;
          const meets = bare ? f.median >= TARGETS.fullPollFractionOfBare * bare.fullPoll.median : undefined;
          return `${int(f.median)}${spread(f, int)}${ofBare(f.median, bare?.fullPoll.median)}${mark(meets)}`;
        },
        bare ? `${int(bare.fullPoll.median)}${spread(bare.fullPoll, int)}` : cellOf(results.bare, () => ''),
      ),
      `≥ ${TARGETS.fullPollFractionOfBare * 100} % of bare`,
    ),
    row('3. Depth: p50 of a page 90 % deep ÷ first page, limit=100', perStore((r) => depthCell(r.reads, true), bare ? depthCell(bare, false) : cellOf(results.bare, () => '')), `≤ ${ratio(TARGETS.depthRatio)}`),
    row(
      `4. ${options.connections} connections: GET objects?limit=100`,
      perStore((r) => loadCell(r.reads.load, bare?.load, meetsLoad), bare ? loadCell(bare.load, undefined) : cellOf(results.bare, () => '')),
      `≥ ${int(TARGETS.loadRequestsPerSecond)} req/s, p99 < ${TARGETS.loadP99Ms} ms`,
    ),
  ];
  const anyReads = [...stores.map(readsOf), bare].find((r) => r !== undefined);
  for (const key of FILTER_ORDER) {
    const label = anyReads?.filters[key]?.label ?? key;
    const filterCell = (r: ReadResults | undefined, vsBare: boolean): string => {
      const l = r?.filters[key];
      return l ? loadCell(l, vsBare ? bare?.filters[key] : undefined, undefined, false) : '—';
    };
    lines.push(row(`5. Filter, ${options.connections} connections: ${label}`, perStore((r) => filterCell(r.reads, true), bare ? filterCell(bare, false) : cellOf(results.bare, () => '')), '—'));
  }
  lines.push(
    row(
      `6. Server RSS at rest after loading ${int(options.objects)} objects (VmRSS; VmHWM)`,
      perStore(
        (r) => `${int(r.rest.rssMiB)} MiB (peak ${int(r.rest.hwmMiB)})${bigRun ? mark(r.rest.rssMiB < TARGETS.rssMiB) : ''}`,
        results.bare.state === 'ok' ? `${int(results.bare.value.rest.rssMiB)} MiB (holds the recordings)` : results.bare.state,
      ),
      `< ${TARGETS.rssMiB} MB with ${int(TARGETS.rssObjects)} objects`,
    ),
    row(
      `6. Server RSS while a client pushes ${int(options.memoryPush.bytes / 1024 ** 2)} MiB of envelopes (peak sampled VmRSS)`,
      perStore((r) => (r.push ? `${int(r.push.peakRssMiB)} MiB (VmHWM ${int(r.push.hwmMiB)}; ${int(r.push.objects)} objects at ${int(r.push.objectsPerSecond)}/s)${bigRun ? mark(r.push.peakRssMiB < TARGETS.rssMiB) : ''}` : 'not run'), '—'),
      `< ${TARGETS.rssMiB} MB with ${int(TARGETS.rssObjects)} objects`,
    ),
    '',
    ...notes(results, options),
  );
  return `${lines.join('\n')}\n`;
}

function notes(results: Results, options: BenchOptions): string[] {
  const out = [
    'Notes:',
    '',
    `- Medians of ${options.repeats} round(s); [min–max] is the spread. "% of bare" compares with a bare node:http server (own process, same core) replaying Taxiway's recorded responses from memory: the same requests get the same bytes, so it is the ceiling on this machine.`,
    `- Reads: ${options.connections}-connection runs last ${options.loadSeconds} s, filter runs ${options.filterSeconds} s (autocannon${options.warmupSeconds > 0 ? `, each URL after a ${options.warmupSeconds} s warm-up` : ', no warm-up'}); depth is ${options.depthSamples} alternating requests per round on one connection.`,
  ];
  if (!options.memoryPush.run) out.push(`- Memory under a ${int(options.memoryPush.bytes / 1024 ** 2)} MiB push: ${options.memoryPush.reason}.`);
  for (const [name, column] of [
    ['SQLite', results.sqlite],
    ['MongoDB', results.mongodb],
    ['bare node:http', results.bare],
  ] as const) {
    if (column.state !== 'ok') {
      out.push(`- ${name}: ${column.state}: ${column.reason.split('\n')[0]}`);
      continue;
    }
    const reads = column.value.reads;
    const resets = column.value.resets;
    if (resets.count > 0) out.push(`- ${name}: ⚠ the server closed ${int(resets.count)} connection(s) without answering the request on them (each retried; see docs/performance.md, "Seen under load"); first: ${resets.examples[0]}.`);
    out.push(`- ${name}: the full walk returned ${int(reads.walk.objects)} objects (the latest version of each id) in ${int(reads.walk.pages)} page(s), ${mib(reads.walk.bytes)} MiB.`);
    if ('ingest' in column.value) {
      const run = column.value;
      if (run.ingest.warnings > 0) out.push(`- ${name}: ${int(run.ingest.warnings)} objects were accepted with validation warnings.`);
      if (run.serverLog.length > 0) out.push(`- ${name}: the server logged ${run.serverLog.length} line(s) at warn or above (the last 64 KiB kept): ${summariseLog(run.serverLog)}`);
    }
  }
  return out;
}

/** The server logs JSON lines; group them by level and message, with one example of the error. */
function summariseLog(lines: readonly string[]): string {
  const groups = new Map<string, { count: number; example: string }>();
  for (const line of lines) {
    let key = line.slice(0, 120);
    let example = '';
    try {
      const entry = JSON.parse(line) as { level?: string; message?: string; error?: string };
      key = `${entry.level ?? '?'} "${entry.message ?? ''}"`;
      example = entry.error ?? '';
    } catch {
      // Not JSON (e.g. a crash trace): the line itself is the key.
    }
    const group = groups.get(key) ?? { count: 0, example };
    group.count++;
    groups.set(key, group);
  }
  return [...groups]
    .sort((a, b) => b[1].count - a[1].count)
    .slice(0, 3)
    .map(([key, g]) => `${int(g.count)} × ${key}${g.example ? ` (${g.example.slice(0, 160)})` : ''}`)
    .join('; ');
}

export function renderJson(results: Results, machine: Machine, options: BenchOptions, pinning: string): string {
  // Credentials in a MongoDB URI must not end up in a results file.
  const settings = { ...options, mongodbUri: options.mongodbUri?.replace(/\/\/[^@/]*@/, '//***@') };
  return `${JSON.stringify({ machine, pinning, settings, targets: TARGETS, results }, null, 2)}\n`;
}
