/**
 * STIX objects read from files of any size: bundles, TAXII envelopes, JSON arrays and NDJSON.
 * Objects come one at a time from an async iterator, and the file is read only as fast as they
 * are taken, so whoever consumes them (the import) sets the pace and memory stays flat.
 */
import fs from 'node:fs';
import { documentObjects } from './document';
import { UnreadableInput } from './errors';
import { detectInputFormat, type InputFormat } from './format';
import { ndjsonObjects } from './ndjson';
import type { InputObject } from './object';

export { MalformedInput, UnreadableInput } from './errors';
export type { InputFormat } from './format';
export type { InputObject } from './object';

export interface StixInput {
  readonly file: string;
  /** Undefined for an empty file. */
  readonly format: InputFormat | undefined;
  readonly size: number;
  /** Bytes read from the file so far (for progress). */
  bytesRead(): number;
  /** The objects, in file order; throws MalformedInput where the file stops making sense. */
  objects(): AsyncGenerator<InputObject>;
}

/** Opens an input: checks that it can be read and detects its format; throws UnreadableInput otherwise. */
export async function openStixInput(file: string): Promise<StixInput> {
  const format = await detectInputFormat(file);
  let size: number;
  try {
    size = (await fs.promises.stat(file)).size;
  } catch (error) {
    throw new UnreadableInput(file, (error as Error).message);
  }
  let source: fs.ReadStream | undefined;
  return {
    file,
    format,
    size,
    bytesRead: () => source?.bytesRead ?? 0,
    objects: async function* () {
      if (format === undefined) return;
      source = fs.createReadStream(file);
      try {
        yield* format === 'ndjson' ? ndjsonObjects(file, source) : documentObjects(file, source, format);
      } finally {
        source.destroy();
      }
    },
  };
}
