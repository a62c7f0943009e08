/**
 * Scenario 3, depth: does a page deep in the collection cost more than the first? One connection
 * alternates `GET objects?limit=100` and the same page reached with `added_after` = the date_added 90 %
 * of the way through, so drift in machine load hits both equally. The figure is the ratio of medians.
 */
import { describe, type TaxiiClient } from './client';
import { median } from './stats';

export interface DepthResult {
  firstMs: number;
  deepMs: number;
  ratio: number;
}

async function timed(client: TaxiiClient, path: string): Promise<number> {
  const reply = await client.get(path);
  if (reply.status !== 200) throw new Error(`depth: ${describe('GET', path, reply)}`);
  return reply.ms;
}

export async function depth(client: TaxiiClient, firstPath: string, deepPath: string, samples: number): Promise<DepthResult> {
  // Warm-up: JIT, statement caches and the page cache, for both positions.
  for (let i = 0; i < Math.max(5, samples / 10); i++) {
    await timed(client, firstPath);
    await timed(client, deepPath);
  }
  const first: number[] = [];
  const deep: number[] = [];
  for (let i = 0; i < samples; i++) {
    first.push(await timed(client, firstPath));
    deep.push(await timed(client, deepPath));
  }
  const firstMs = median(first);
  const deepMs = median(deep);
  return { firstMs, deepMs, ratio: deepMs / firstMs };
}
