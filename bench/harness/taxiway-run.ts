/**
 * One store's column: start Taxiway on it, load the data set through the ingest scenario, read the
 * resident memory at rest, run the read scenarios, optionally push a large stream while sampling
 * memory, then stop the server. The server's own warnings are kept for the report.
 */
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { envelopeBodies, type EnvelopeBody, type StixGenerator } from '../data';
import { TaxiiClient } from './client';
import type { StoreSpec } from './config';
import { ingest, type IngestResult } from './ingest';
import { MemorySampler, readMemory, type MemoryReading } from './memory';
import type { BenchOptions } from './options';
import type { ReadPlan } from './plan';
import type { Child, ChildRegistry } from './processes';
import { runReads, type ReadResults } from './reads';
import type { Recorder } from './recording';
import { authorization, startTaxiway } from './servers';

export interface PushResult {
  bytes: number;
  objects: number;
  objectsPerSecond: number;
  peakRssMiB: number;
  hwmMiB: number;
}

export interface StoreRun {
  ingest: IngestResult;
  /** After loading, once the server has been idle for a moment. */
  rest: MemoryReading;
  reads: ReadResults;
  push?: PushResult;
  /** Lines the server logged (warn level and above). */
  serverLog: string[];
  /** Requests lost to the server closing a keep-alive connection under them (retried; see client.ts). */
  resets: { count: number; examples: string[] };
}

/** Lets the collector and the store's background work settle before reading memory "at rest". */
const SETTLE_MS = 2000;

export interface RunContext {
  options: BenchOptions;
  registry: ChildRegistry;
  repoRoot: string;
  tmp: string;
  generator: StixGenerator;
  log: (message: string) => void;
  /** The data set's envelopes, built once before the first column's timed ingest and reused by the next. */
  envelopes?: EnvelopeBody[];
}

/**
 * Builds the load's envelopes before the clock starts: generated during the ingest, they made the
 * client, not the server, the limit. (The memory push, whose rate is not a target, still streams
 * its envelopes from the generator so that its size is not bounded by the harness's memory.)
 */
function loadEnvelopes(ctx: RunContext): EnvelopeBody[] {
  if (ctx.envelopes === undefined) {
    const started = Date.now();
    ctx.envelopes = [...envelopeBodies(ctx.generator, 0, ctx.options.objects, ctx.options.envelopeSize)];
    ctx.log(`generated ${ctx.options.objects} objects in ${ctx.envelopes.length} envelopes in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return ctx.envelopes;
}

/** A line every 10 % of `total` objects or bytes, for runs long enough to wonder whether they hang. */
function progress(log: (message: string) => void, what: string, total: { objects: number } | { bytes: number }): (objects: number, bytes: number) => void {
  let reported = 0;
  const started = Date.now();
  return (objects, bytes) => {
    const fraction = 'objects' in total ? objects / total.objects : bytes / total.bytes;
    if (fraction - reported < 0.1) return;
    reported = Math.floor(fraction * 10) / 10;
    log(`${what}: ${Math.min(100, Math.round(fraction * 100))} % (${objects} objects, ${Math.round(objects / ((Date.now() - started) / 1000))} objects/s)`);
  };
}

/** A failed request is only half the story: say whether the server died, and what it logged last. */
async function withServerState(err: unknown, child: Child): Promise<Error> {
  const message = err instanceof Error ? err.message : String(err);
  // A crash and the client's ECONNRESET arrive together; give the exit a moment to be noticed.
  await Promise.race([child.exited, new Promise((r) => setTimeout(r, 500))]);
  const state = child.hasExited() ? `the server exited (${await child.exited})` : 'the server was still running';
  const lines = child.output().trim().split('\n').filter((l) => l.trim() !== '');
  const last = lines.length > 0 ? `; its last output: ${lines[lines.length - 1].slice(0, 400)}` : '; it logged nothing';
  return new Error(`${message}; ${state}${last}${lines.length > 1 ? `\n${lines.slice(-20).join('\n')}` : ''}`);
}

export async function runStore(ctx: RunContext, label: string, store: (dir: string) => StoreSpec, recorder?: Recorder): Promise<{ run: StoreRun; plan: ReadPlan }> {
  const { options, log } = ctx;
  const dir = mkdtempSync(path.join(ctx.tmp, `${label.toLowerCase()}-`));
  const envelopes = loadEnvelopes(ctx);
  const target = await startTaxiway(ctx.registry, ctx.repoRoot, dir, label, store(dir), options.workers === undefined ? options.serverCpu : undefined, options.envelopeSize, options.workers);
  const tag = (message: string): void => log(`[${label}] ${message}`);
  tag(`Taxiway pid ${target.child.pid} on ${target.url}`);
  const client = new TaxiiClient(target.url, authorization(), Math.max(options.ingestClients, 2), ctx.registry.abort.signal);
  try {
    const loaded = await ingest(client, envelopes[Symbol.iterator](), {
      clients: options.ingestClients,
      progress: options.smoke ? undefined : progress(tag, 'ingest', { objects: options.objects }),
    });
    tag(`ingest: ${loaded.objects} objects in ${loaded.seconds.toFixed(1)} s = ${Math.round(loaded.objectsPerSecond)} objects/s`);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const rest = readMemory(target.child.pid);
    tag(`memory at rest: VmRSS ${rest.rssMiB.toFixed(0)} MiB, VmHWM ${rest.hwmMiB.toFixed(0)} MiB`);

    const { results: reads, plan } = await runReads(
      { label, url: target.url, client, recorder },
      { ...options, log: tag },
    );

    let push: PushResult | undefined;
    if (options.memoryPush.run) {
      tag(`memory: pushing ${Math.round(options.memoryPush.bytes / 1024 ** 2)} MiB of envelopes`);
      const sampler = new MemorySampler(target.child.pid);
      const pushed = await ingest(client, envelopeBodies(ctx.generator, options.objects, Number.POSITIVE_INFINITY, options.envelopeSize), {
        clients: options.ingestClients,
        maxBytes: options.memoryPush.bytes,
        progress: progress(tag, 'memory push', { bytes: options.memoryPush.bytes }),
      });
      const memory = sampler.stop();
      push = { bytes: pushed.bytes, objects: pushed.objects, objectsPerSecond: pushed.objectsPerSecond, peakRssMiB: memory.peakRssMiB, hwmMiB: memory.hwmMiB };
      tag(`memory push: ${pushed.objects} objects, peak VmRSS ${memory.peakRssMiB.toFixed(0)} MiB, VmHWM ${memory.hwmMiB.toFixed(0)} MiB`);
    }
    const serverLog = target.child.output().split('\n').filter((line) => line.trim() !== '');
    return { run: { ingest: loaded, rest, reads, push, serverLog, resets: { count: client.resets, examples: client.resetExamples } }, plan };
  } catch (err) {
    throw await withServerState(err, target.child);
  } finally {
    client.close();
    await ctx.registry.stop(target.child);
  }
}
