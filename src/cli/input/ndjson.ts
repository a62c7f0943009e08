/**
 * NDJSON input: one JSON value per line. Lines are cut from the raw bytes, so each object knows
 * its line number and byte offset exactly, and a broken line is reported precisely. Blank lines
 * are skipped; a CR before the LF and a BOM on the first line are ignored.
 */
import type { Readable } from 'node:stream';
import { MalformedInput } from './errors';
import type { InputObject } from './object';

const LF = 0x0a;

export async function* ndjsonObjects(file: string, source: Readable): AsyncGenerator<InputObject> {
  let pending: Buffer[] = [];
  let lineStart = 0;
  let consumed = 0;
  let line = 0;
  let index = 0;

  function* parseLine(bytes: Buffer): Generator<InputObject> {
    line++;
    let text = bytes.toString('utf8');
    if (line === 1) text = text.replace(/^\uFEFF/, '');
    if (text.trim().length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new MalformedInput(file, { line, byte: lineStart }, `not a JSON value: ${(error as Error).message}`);
    }
    yield { value, index: index++, line };
  }

  for await (const data of source) {
    const chunk = data as Buffer;
    let start = 0;
    for (let newline = chunk.indexOf(LF); newline >= 0; newline = chunk.indexOf(LF, start)) {
      const piece = chunk.subarray(start, newline);
      // A line spanning chunks is joined once, when its end arrives.
      const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      yield* parseLine(bytes);
      lineStart = consumed + newline + 1;
      start = newline + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
    consumed += chunk.length;
  }
  if (pending.length > 0) yield* parseLine(Buffer.concat(pending));
}
