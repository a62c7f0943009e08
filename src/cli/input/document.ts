/**
 * JSON documents read chunk by chunk: the items of a top-level array, or of the `objects` list
 * of a bundle or envelope. Each chunk is tokenised (stream-json) and its completed items handed
 * out before the next chunk is read, so memory holds one chunk and one item whatever the file
 * size. Every item that is complete before a syntax error is handed out, then the error is
 * located to the byte (see error-location.ts).
 */
import type { Readable } from 'node:stream';
import { locateSyntaxError } from './error-location';
import { MalformedInput } from './errors';
import { ItemPicker, NotAList } from './items';
import type { InputObject } from './object';
import { JsonTokenizer, type Tokens } from './tokenizer';

export async function* documentObjects(file: string, source: Readable, root: 'array' | 'document'): AsyncGenerator<InputObject> {
  const tokenizer = new JsonTokenizer();
  const picker = new ItemPicker(root);
  let index = 0;
  let offset = 0;

  /** The items the tokens complete; a NotAList problem ends the list there. */
  function itemsOf(tokens: Tokens): { values: unknown[]; problem?: MalformedInput } {
    const values: unknown[] = [];
    try {
      for (const token of tokens.tokens) picker.consume(token, (value) => values.push(value));
    } catch (error) {
      if (!(error instanceof NotAList)) throw error;
      return { values, problem: new MalformedInput(file, {}, error.message) };
    }
    return { values };
  }

  for await (const data of source) {
    const chunk = data as Buffer;
    const tokens = tokenizer.feed(chunk);
    const { values, problem } = itemsOf(tokens);
    for (const value of values) yield { value, index: index++ };
    if (problem) throw problem;
    if (tokens.error) throw await malformed(file, tokens.error, { start: offset, length: chunk.length });
    offset += chunk.length;
  }
  const rest = tokenizer.end();
  const { values, problem } = itemsOf(rest);
  for (const value of values) yield { value, index: index++ };
  if (problem) throw problem;
  if (rest.error) throw await malformed(file, rest.error, { start: offset, length: 0 });
}

async function malformed(file: string, error: Error, chunk: { start: number; length: number }): Promise<MalformedInput> {
  const location = await locateSyntaxError(file, chunk);
  const detail = location?.detail ?? error.message;
  // The usual cause: NDJSON whose first line was too long to be recognised as such.
  const hint = detail.includes('unexpected characters') ? ' (more JSON follows the first value: name a file with one object per line .ndjson or .jsonl)' : '';
  const where = location ? { byte: location.byte, line: location.line, column: location.column } : { byte: chunk.start };
  return new MalformedInput(file, where, `malformed JSON: ${detail}${hint}`);
}
