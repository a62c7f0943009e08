/**
 * Where a JSON file stops parsing, to the byte. While importing, the parser is fed large chunks
 * and only the failing chunk is known. Once an import has failed, the text before that chunk is
 * parsed again (tokens only, nothing assembled) and the chunk is then fed a byte at a time, so
 * the parser stops right at the offending token. The cost, reading the file again up to the
 * error, is paid on the failure path only.
 */
import fs from 'node:fs';
import { JsonTokenizer } from './tokenizer';

export interface SyntaxErrorLocation {
  /** 0-based byte offset of the offending token (the end of the file when the text is cut short). */
  byte: number;
  /** 1-based line and byte column. */
  line: number;
  column: number;
  /** What the parser expected there. */
  detail: string;
}

/**
 * Locates the syntax error known to lie in the chunk at `chunk.start` (a chunk of length 0 at
 * the end of the file: the parser only noticed at the end). Undefined when the file parses
 * after all (it changed meanwhile).
 */
export async function locateSyntaxError(file: string, chunk: { start: number; length: number }): Promise<SyntaxErrorLocation | undefined> {
  const tokenizer = new JsonTokenizer();
  if (chunk.start > 0) {
    for await (const data of fs.createReadStream(file, { end: chunk.start - 1 })) {
      // The text before the chunk parsed the first time; if it no longer does, the file changed.
      if (tokenizer.feed(data as Buffer).error) return undefined;
    }
  }
  const bytes = await readAt(file, chunk.start, chunk.length);
  let failure: Error | undefined;
  for (let i = 0; i < bytes.length && failure === undefined; i++) failure = tokenizer.feed(bytes.subarray(i, i + 1)).error;
  // Some mistakes show only at the end (a token the parser waits to see more of, a text cut short).
  failure ??= tokenizer.end().error;
  if (failure === undefined) return undefined;
  const byte = tokenizer.unconsumedFrom();
  return { byte, ...(await lineAndColumn(file, byte)), detail: failure.message };
}

async function readAt(file: string, start: number, length: number): Promise<Buffer> {
  const bytes = Buffer.alloc(length);
  if (length === 0) return bytes;
  const handle = await fs.promises.open(file, 'r');
  try {
    const { bytesRead } = await handle.read(bytes, 0, length, start);
    return bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** 1-based line and byte column of a byte offset. */
async function lineAndColumn(file: string, byte: number): Promise<{ line: number; column: number }> {
  let line = 1;
  let lineStart = 0;
  let offset = 0;
  if (byte > 0) {
    for await (const data of fs.createReadStream(file, { end: byte - 1 })) {
      const bytes = data as Buffer;
      for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) {
        line++;
        lineStart = offset + i + 1;
      }
      offset += bytes.length;
    }
  }
  return { line, column: byte - lineStart + 1 };
}
