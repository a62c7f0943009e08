/** What `taxiway import` did, counted as it goes and summed up at the end. */
import type { ObjectResult } from '../services/ingest';
import type { MalformedInput } from './input';
import { formatCount, formatDuration } from './units';

export class ImportTally {
  objects = 0;
  stored = 0;
  duplicates = 0;
  failed = 0;
  readonly failedByReason = new Map<string, number>();
  /** Files that stopped making sense part-way, with how many of their objects came before. */
  readonly malformed: Array<{ problem: MalformedInput; objectsBefore: number }> = [];
  /** Files that held no objects at all. */
  readonly empty: string[] = [];
  /** Why the import stopped before the end (the store failed), if it did. */
  stopped: string | undefined;

  record(result: ObjectResult): void {
    this.objects++;
    if (result.kind === 'failed') {
      this.failed++;
      this.failedByReason.set(result.reason, (this.failedByReason.get(result.reason) ?? 0) + 1);
    } else if (result.kind === 'added') this.stored++;
    else this.duplicates++;
  }

  /** Nothing failed and every file was read to its end. */
  get clean(): boolean {
    return this.failed === 0 && this.malformed.length === 0 && this.stopped === undefined;
  }

  summary(target: string, files: number, seconds: number): string {
    const rate = seconds > 0 ? Math.round(this.objects / seconds) : this.objects;
    const lines = [
      `imported ${formatCount(this.objects)} objects from ${files} file${files === 1 ? '' : 's'} into ${target} in ${formatDuration(seconds)} (${formatCount(rate)} objects/s)`,
      `  stored:        ${formatCount(this.stored)}`,
      `  already there: ${formatCount(this.duplicates)}`,
      `  failed:        ${formatCount(this.failed)}`,
    ];
    // Most frequent reason first: that is the one worth looking at.
    const reasons = [...this.failedByReason].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    for (const [reason, count] of reasons) lines.push(`    ${reason}: ${formatCount(count)}`);
    for (const file of this.empty) lines.push(`${file}: no objects found (expected a bundle, an envelope, a JSON array or NDJSON)`);
    for (const { problem, objectsBefore } of this.malformed) {
      lines.push(`${problem.message}; the ${formatCount(objectsBefore)} objects before it were processed, the rest of the file was not`);
    }
    if (this.stopped !== undefined) lines.push(`import stopped: ${this.stopped}; what was stored stays stored: run the same command again to go on`);
    return `${lines.join('\n')}\n`;
  }
}
