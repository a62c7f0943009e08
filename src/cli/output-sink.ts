/**
 * Where `taxiway export` writes: standard output or a file. Writing waits whenever the
 * destination is behind (a slow pipe, a slow disk), so the export reads the store no faster
 * than its output drains. A file is written under a temporary name and renamed at the end, so
 * an interrupted export never leaves a file that looks complete.
 */
import fs from 'node:fs';
import { once } from 'node:events';

/** The output could not be written (a reader that went away: EPIPE; a full disk…). */
export class OutputFailed extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause });
    this.name = 'OutputFailed';
  }
}

export class OutputSink {
  private failure: OutputFailed | undefined;

  private constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly file?: { final: string; temporary: string },
  ) {
    // An output that breaks (a reader that went away: EPIPE) ends the export at its next write.
    stream.on('error', (error: Error) => {
      this.failure ??= new OutputFailed(error);
    });
  }

  static stream(stream: NodeJS.WritableStream): OutputSink {
    return new OutputSink(stream);
  }

  /** Opens FILE.partial-PID for writing; throws when it cannot be created. */
  static async file(final: string): Promise<OutputSink> {
    const temporary = `${final}.partial-${process.pid}`;
    const stream = fs.createWriteStream(temporary, { flags: 'w' });
    // once() rejects when 'error' comes first (a missing folder, no permission).
    await once(stream, 'open');
    return new OutputSink(stream, { final, temporary });
  }

  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.stream.write(text)) return;
    await new Promise<void>((resolve, reject) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('error', done);
        if (this.failure) reject(this.failure);
        else resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('error', done);
    });
  }

  /** Finishes the output: a file is flushed and takes its final name; standard output stays open. */
  async finish(): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.file) return;
    const stream = this.stream as fs.WriteStream;
    try {
      await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
      await fs.promises.rename(this.file.temporary, this.file.final);
    } catch (error) {
      throw new OutputFailed(error as Error);
    }
  }

  /** Gives up: a file's temporary copy is removed. */
  async abandon(): Promise<void> {
    if (!this.file) return;
    (this.stream as fs.WriteStream).destroy();
    await fs.promises.rm(this.file.temporary, { force: true });
  }
}
