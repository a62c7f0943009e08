/**
 * stream-json's parser, driven synchronously: bytes in, tokens out, in the caller's own loop.
 *
 * Its stream interface would hide where parsing stopped: an error destroys the pipeline, and the
 * objects already parsed but still buffered in later stages are lost with it. Called directly,
 * the parser hands over every token produced before an error, and the caller knows exactly which
 * chunk failed. This relies on the parser being a plain Transform whose `_transform` and `_flush`
 * do their work and call back before returning (true of stream-json: it only scans text).
 */
import { parser as makeParser } from 'stream-json';

export interface JsonToken {
  name: string;
  value?: string;
}

export interface Tokens {
  tokens: JsonToken[];
  /** Set when the text stopped being JSON in this chunk; `tokens` holds what came before. */
  error?: Error;
}

export class JsonTokenizer {
  // Packed values only (no per-chunk string tokens): fewer tokens, and values are wanted whole.
  private readonly parser = makeParser({ streamValues: false });
  private pending: JsonToken[] = [];
  private fed = 0;

  constructor() {
    this.parser.push = (token: unknown): boolean => {
      if (token !== null) this.pending.push(token as JsonToken);
      return true;
    };
  }

  feed(chunk: Buffer): Tokens {
    this.fed += chunk.length;
    // The encoding argument is ignored for Buffers.
    return this.collect((done) => this.parser._transform(chunk, 'utf8', done));
  }

  /** The end of the text: fails when it is cut short. */
  end(): Tokens {
    return this.collect((done) => this.parser._flush(done));
  }

  /**
   * Byte offset of the first byte the parser had not consumed: after a failure, the start of the
   * offending token when bytes were fed one at a time. stream-json keeps that text in a private
   * `_buffer`; should that change, the last byte fed is still close.
   */
  unconsumedFrom(): number {
    const rest = (this.parser as unknown as { _buffer?: unknown })._buffer;
    return typeof rest === 'string' ? Math.max(0, this.fed - Buffer.byteLength(rest)) : Math.max(0, this.fed - 1);
  }

  private collect(run: (done: (error?: Error | null) => void) => void): Tokens {
    let error: Error | undefined;
    run((failure) => {
      error = failure ?? undefined;
    });
    const tokens = this.pending;
    this.pending = [];
    return error === undefined ? { tokens } : { tokens, error };
  }
}
