/**
 * `taxiway import --failures FILE`: one JSON line per object that was not stored, so an operator
 * can fix and re-import exactly those. The file is created when the import starts: an empty
 * file means nothing failed.
 */
import fs from 'node:fs';
import { once } from 'node:events';

export interface FailureRecord {
  file: string;
  /** Position among the file's objects (0-based). */
  index: number;
  /** NDJSON line (1-based). */
  line?: number;
  /** The object's id; null when it has none usable. */
  id: string | null;
  version: string;
  reason: string;
  message: string;
}

export class FailureLog {
  private constructor(private readonly stream: fs.WriteStream) {}

  /** Creates (or empties) the file; throws when it cannot be written. */
  static async create(path: string): Promise<FailureLog> {
    const stream = fs.createWriteStream(path, { flags: 'w' });
    // once() rejects when 'error' comes first (a missing folder, no permission).
    await once(stream, 'open');
    return new FailureLog(stream);
  }

  /** Appends one record; waits when the disk is behind, so failures never pile up in memory. */
  async write(record: FailureRecord): Promise<void> {
    if (!this.stream.write(`${JSON.stringify(record)}\n`)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}
