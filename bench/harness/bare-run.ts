/**
 * The bare node:http column: replay the reference run's recorded responses and measure the same
 * read scenarios with the same client, which is the ceiling Taxiway's read figures are compared with.
 */
import { TaxiiClient } from './client';
import { readMemory, type MemoryReading } from './memory';
import type { ReadPlan } from './plan';
import { runReads, type ReadResults } from './reads';
import { authorization, startBare } from './servers';
import type { RunContext } from './taxiway-run';

export interface BareRun {
  reads: ReadResults;
  /** Mostly the recorded responses it holds. */
  rest: MemoryReading;
  resets: { count: number; examples: string[] };
}

export async function runBare(ctx: RunContext, recordings: string, plan: ReadPlan, walkPages: number): Promise<BareRun> {
  const { options } = ctx;
  const target = await startBare(ctx.registry, recordings, options.serverCpu);
  const tag = (message: string): void => ctx.log(`[bare] ${message}`);
  tag(`bare node:http pid ${target.child.pid} on ${target.url}`);
  // Same credentials as against Taxiway, so every request is byte for byte the same.
  const client = new TaxiiClient(target.url, authorization(), 2, ctx.registry.abort.signal);
  try {
    const rest = readMemory(target.child.pid);
    const { results } = await runReads({ label: 'bare', url: target.url, client, plan, maxWalkPages: walkPages }, { ...options, log: tag });
    return { reads: results, rest, resets: { count: client.resets, examples: client.resetExamples } };
  } finally {
    client.close();
    await ctx.registry.stop(target.child);
  }
}
