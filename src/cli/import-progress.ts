/**
 * Progress of `taxiway import` on stderr: a bar on a terminal (bytes read of all files, objects,
 * objects per second, ETA), plain lines every few seconds otherwise (logs, CI), or nothing.
 */
import { SingleBar } from 'cli-progress';
import { Throughput } from './throughput';
import { formatBytes, formatCount, formatDuration } from './units';

export type ProgressMode = 'bar' | 'lines' | 'none';

export interface ProgressCounts {
  /** Bytes read from all files so far. */
  bytes: number;
  objects: number;
  stored: number;
  duplicates: number;
  failed: number;
}

export interface ImportProgressOptions {
  mode: ProgressMode;
  out: NodeJS.WritableStream;
  totalBytes: number;
  /** Between plain lines (default 5 s). */
  intervalMs?: number;
  now?: () => number;
}

export class ImportProgress {
  private readonly throughput: Throughput;
  private readonly now: () => number;
  private bar?: SingleBar;
  private lastLine: number;

  constructor(private readonly options: ImportProgressOptions) {
    this.now = options.now ?? Date.now;
    this.throughput = new Throughput(options.totalBytes, this.now);
    this.lastLine = this.now();
    if (options.mode === 'bar') {
      this.bar = new SingleBar({
        format: 'importing [{bar}] {percentage}% | {objects} objects | {rate} objects/s | ETA {eta_text}',
        stream: options.out,
        hideCursor: true,
        clearOnComplete: false,
        // The caller asked for a bar because stderr is a terminal; do not second-guess it here.
        noTTYOutput: true,
      });
      this.bar.start(Math.max(1, options.totalBytes), 0, { objects: '0', rate: '0', eta_text: '?' });
    }
  }

  update(counts: ProgressCounts): void {
    this.throughput.record(counts.bytes, counts.objects);
    if (this.bar) {
      this.bar.update(counts.bytes, this.tokens(counts));
      return;
    }
    if (this.options.mode === 'lines' && this.now() - this.lastLine >= (this.options.intervalMs ?? 5000)) {
      this.lastLine = this.now();
      this.options.out.write(`${this.line(counts)}\n`);
    }
  }

  stop(counts: ProgressCounts): void {
    if (!this.bar) return;
    this.bar.update(counts.bytes, this.tokens(counts));
    this.bar.stop();
    this.bar = undefined;
  }

  private tokens(counts: ProgressCounts): Record<string, string> {
    return {
      objects: formatCount(counts.objects),
      rate: formatCount(Math.round(this.throughput.objectsPerSecond())),
      eta_text: formatDuration(this.throughput.etaSeconds()),
    };
  }

  private line(counts: ProgressCounts): string {
    const total = this.options.totalBytes;
    const percent = total > 0 ? Math.min(100, (100 * counts.bytes) / total).toFixed(1) : '100.0';
    const t = this.tokens(counts);
    return (
      `import: ${percent}% of ${formatBytes(total)} read, ${t.objects} objects ` +
      `(${formatCount(counts.stored)} stored, ${formatCount(counts.duplicates)} already there, ${formatCount(counts.failed)} failed), ` +
      `${t.rate} objects/s, ETA ${t.eta_text}`
    );
  }
}
