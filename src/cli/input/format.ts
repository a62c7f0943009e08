/**
 * Which of the accepted shapes an input file has, from its first bytes (a UTF-8 BOM is skipped):
 *
 * - `array`: a JSON array of STIX objects;
 * - `document`: a STIX bundle or a TAXII envelope, i.e. a JSON object whose `objects` list holds them;
 * - `ndjson`: one STIX object per line (`.ndjson` and `.jsonl` files always are).
 *
 * A file starting with `{` is NDJSON when its first line is a whole JSON object without an
 * `objects` list; otherwise (a pretty-printed or one-line bundle) it is a document. Only the
 * first HEAD_BYTES are looked at, so an NDJSON file whose first object is longer than that is
 * taken for a document and fails there with a hint to name it `.ndjson`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UnreadableInput } from './errors';

export type InputFormat = 'array' | 'document' | 'ndjson';

const HEAD_BYTES = 1024 * 1024;
const NDJSON_EXTENSIONS = new Set(['.ndjson', '.jsonl']);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The format of a file, or undefined when it is empty (only white space). Throws UnreadableInput otherwise. */
export async function detectInputFormat(file: string): Promise<InputFormat | undefined> {
  if (NDJSON_EXTENSIONS.has(path.extname(file).toLowerCase())) return 'ndjson';
  const head = await readHead(file);
  const text = head.subarray(head.subarray(0, 3).equals(BOM) ? 3 : 0);
  const first = /\S/.exec(text.toString('utf8', 0, Math.min(text.length, 4096)));
  if (first === null) {
    if (text.length <= 4096) return undefined;
    throw new UnreadableInput(file, 'not JSON (starts with more than 4 KiB of white space)');
  }
  if (first[0] === '[') return 'array';
  if (first[0] !== '{') throw new UnreadableInput(file, `not JSON (starts with ${JSON.stringify(first[0])}): expected a bundle, an envelope, a JSON array or NDJSON`);
  const newline = text.indexOf(0x0a);
  if (newline < 0) return 'document';
  return isLoneObject(text.toString('utf8', 0, newline)) ? 'ndjson' : 'document';
}

/** True when the line is a whole JSON object that is not itself a bundle or an envelope. */
function isLoneObject(line: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return false;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Array.isArray((value as { objects?: unknown }).objects);
}

async function readHead(file: string): Promise<Buffer> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    throw new UnreadableInput(file, (error as Error).message);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new UnreadableInput(file, 'not a regular file');
    const buffer = Buffer.alloc(Math.min(HEAD_BYTES, stat.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
