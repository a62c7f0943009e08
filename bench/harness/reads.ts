/**
 * Scenarios 2–5 against one target (Taxiway on a store, or the bare server), each repeated and
 * reduced to a median with its spread. The first, untimed walk verifies the envelopes and, on the
 * reference Taxiway run, records every response the bare server will replay.
 */
import { describe, type TaxiiClient } from './client';
import { depth } from './depth';
import { load, type LoadResult } from './load';
import { buildPlan, DEEP_FRACTION, ID_COUNT, MIDDLE_FRACTION, type FilterKey, type ReadPlan } from './plan';
import type { Recorder } from './recording';
import { figure, repeat, type Figure } from './stats';
import { manifestPositions, walk, type WalkResult } from './walk';

export interface LoadFigures {
  requestsPerSecond: Figure;
  p50Ms: Figure;
  p99Ms: Figure;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface ReadResults {
  walk: { objects: number; pages: number; bytes: number };
  fullPoll: Figure;
  depth: { firstMs: Figure; deepMs: Figure; ratio: Figure };
  load: LoadFigures;
  filters: Partial<Record<FilterKey, LoadFigures & { label: string }>>;
}

export interface ReadSettings {
  repeats: number;
  pageLimit: number;
  depthSamples: number;
  connections: number;
  loadSeconds: number;
  filterSeconds: number;
  /** Short untimed load before the measured rounds: connections open, JIT warm, caches filled. */
  warmupSeconds: number;
  log: (message: string) => void;
}

export interface ReadTarget {
  label: string;
  url: string;
  client: TaxiiClient;
  /** Given for the bare server (Taxiway's plan); derived from the manifest otherwise. */
  plan?: ReadPlan;
  recorder?: Recorder;
  /** The bare server only has the recorded pages. */
  maxWalkPages?: number;
}

function loadFigures(runs: LoadResult[]): LoadFigures {
  return {
    requestsPerSecond: figure(runs.map((r) => r.requestsPerSecond)),
    p50Ms: figure(runs.map((r) => r.p50Ms)),
    p99Ms: figure(runs.map((r) => r.p99Ms)),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    timeouts: runs.reduce((n, r) => n + r.timeouts, 0),
  };
}

async function record(target: ReadTarget, path: string): Promise<void> {
  const reply = await target.client.get(path);
  if (reply.status !== 200) throw new Error(`${target.label}: ${describe('GET', path, reply)}`);
  target.recorder?.add(path, reply, true);
}

export async function runReads(target: ReadTarget, settings: ReadSettings): Promise<{ results: ReadResults; plan: ReadPlan }> {
  const { log, repeats } = settings;
  const verified: WalkResult = await walk(target.client, { limit: settings.pageLimit, verify: true, recorder: target.recorder, maxPages: target.maxWalkPages });
  log(`verified walk: ${verified.objects} objects in ${verified.pages} pages of up to ${settings.pageLimit}`);

  const plan = target.plan ?? buildPlan(await manifestPositions(target.client, verified.objects, [MIDDLE_FRACTION, DEEP_FRACTION], ID_COUNT, settings.pageLimit));
  if (target.recorder) for (const path of [plan.firstPage, plan.deepPage, ...plan.filters.map((f) => f.path)]) await record(target, path);

  const walks = await repeat(repeats, async (round) => {
    const result = await walk(target.client, { limit: settings.pageLimit, maxPages: target.maxWalkPages });
    log(`full poll ${round + 1}/${repeats}: ${Math.round(result.objectsPerSecond)} objects/s (${result.objects} objects, ${result.seconds.toFixed(2)} s)`);
    return result.objectsPerSecond;
  });

  const depths = await repeat(repeats, async (round) => {
    const result = await depth(target.client, plan.firstPage, plan.deepPage, settings.depthSamples);
    log(`depth ${round + 1}/${repeats}: first ${result.firstMs.toFixed(2)} ms, 90 % deep ${result.deepMs.toFixed(2)} ms, ×${result.ratio.toFixed(2)}`);
    return result;
  });

  const headers = target.client.headers();
  const loadRuns = async (path: string, seconds: number, what: string): Promise<LoadFigures> => {
    if (settings.warmupSeconds > 0) await load(target.url, path, { connections: settings.connections, seconds: settings.warmupSeconds, headers });
    const runs = await repeat(repeats, async (round) => {
      const result = await load(target.url, path, { connections: settings.connections, seconds, headers });
      const problems = result.non2xx + result.errors > 0 ? ` (${result.non2xx} non-2xx, ${result.errors} errors)` : '';
      log(`${what} ${round + 1}/${repeats}: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms${problems}`);
      return result;
    });
    return loadFigures(runs);
  };

  const loadResult = await loadRuns(plan.firstPage, settings.loadSeconds, `${settings.connections} connections`);
  const filters: ReadResults['filters'] = {};
  for (const filter of plan.filters) filters[filter.key] = { label: filter.label, ...(await loadRuns(filter.path, settings.filterSeconds, filter.label)) };

  return {
    plan,
    results: {
      walk: { objects: verified.objects, pages: verified.pages, bytes: verified.bytes },
      fullPoll: figure(walks),
      depth: { firstMs: figure(depths.map((d) => d.firstMs)), deepMs: figure(depths.map((d) => d.deepMs)), ratio: figure(depths.map((d) => d.ratio)) },
      load: loadResult,
      filters,
    },
  };
}
