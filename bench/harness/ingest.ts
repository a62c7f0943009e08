/**
 * Scenario 1, ingest: several clients POST envelopes concurrently, each taking the next envelope from
 * one shared iterator, and each answer is checked (202, every object accepted). The data set's load
 * takes envelopes built beforehand (see taxiway-run.ts); the memory push takes them from the
 * generator as it goes.
 */
import { objectsPath } from './config';
import { describe, type TaxiiClient } from './client';
import type { EnvelopeBody } from '../data';

export interface IngestResult {
  objects: number;
  envelopes: number;
  bytes: number;
  seconds: number;
  objectsPerSecond: number;
  /** Objects accepted with a warning (the generator aims for none). */
  warnings: number;
}

interface StatusResource {
  success_count?: number;
  failure_count?: number;
  pending_count?: number;
  successes?: { id: string; message?: string }[];
  failures?: { id: string; message?: string }[];
}

export interface IngestOptions {
  clients: number;
  /** Stop taking envelopes once this many bytes have been sent. */
  maxBytes?: number;
  /** Called after each envelope with the running totals (for progress lines). */
  progress?: (objects: number, bytes: number) => void;
}

export async function ingest(client: TaxiiClient, envelopes: Iterator<EnvelopeBody>, options: IngestOptions): Promise<IngestResult> {
  const path = objectsPath();
  let objects = 0;
  let count = 0;
  let bytes = 0;
  let warnings = 0;
  let exhausted = false;
  let failed: Error | undefined;
  const started = process.hrtime.bigint();

  const take = (): EnvelopeBody | undefined => {
    if (exhausted || failed || (options.maxBytes !== undefined && bytes >= options.maxBytes)) return undefined;
    const next = envelopes.next();
    if (next.done) {
      exhausted = true;
      return undefined;
    }
    bytes += Buffer.byteLength(next.value.body);
    return next.value;
  };

  const worker = async (): Promise<void> => {
    for (let envelope = take(); envelope; envelope = take()) {
      const reply = await client.post(path, envelope.body);
      if (reply.status !== 202) throw new Error(`ingest: ${describe('POST', path, reply)}`);
      const status = JSON.parse(reply.body.toString('utf8')) as StatusResource;
      if ((status.failure_count ?? 0) > 0 || status.success_count !== envelope.objects) {
        const first = status.failures?.[0];
        throw new Error(`ingest: ${status.failure_count} of ${envelope.objects} objects refused, ${status.pending_count ?? 0} pending${first ? `; first: ${first.id}: ${first.message}` : ''}`);
      }
      // Taxiway appends validator warnings to the success message ("added at …; warnings: …").
      warnings += status.successes?.filter((s) => s.message?.includes('warnings:') === true).length ?? 0;
      objects += envelope.objects;
      count++;
      options.progress?.(objects, bytes);
    }
  };

  const workers = Array.from({ length: options.clients }, () =>
    worker().catch((err: unknown) => {
      failed ??= err as Error;
    }),
  );
  await Promise.all(workers);
  if (failed) throw failed;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { objects, envelopes: count, bytes, seconds, objectsPerSecond: objects / seconds, warnings };
}
