/**
 * Rates and an ETA over the last WINDOW_MS: an import slows down while a server writes to the
 * same store, and an average since the start would hide that for a long time.
 */
const WINDOW_MS = 10_000;

interface Sample {
  at: number;
  bytes: number;
  objects: number;
}

export class Throughput {
  private readonly samples: Sample[] = [];

  constructor(
    private readonly totalBytes: number,
    private readonly now: () => number = Date.now,
  ) {
    this.samples.push({ at: this.now(), bytes: 0, objects: 0 });
  }

  record(bytes: number, objects: number): void {
    const at = this.now();
    this.samples.push({ at, bytes, objects });
    // Keep one sample older than the window, so the window is always spanned.
    while (this.samples.length > 2 && at - this.samples[1].at > WINDOW_MS) this.samples.shift();
  }

  objectsPerSecond(): number {
    const { first, last, seconds } = this.span();
    return seconds > 0 ? (last.objects - first.objects) / seconds : 0;
  }

  /** Seconds until every byte is read at the recent pace; Infinity while nothing is known. */
  etaSeconds(): number {
    const { first, last, seconds } = this.span();
    const bytesPerSecond = seconds > 0 ? (last.bytes - first.bytes) / seconds : 0;
    return bytesPerSecond > 0 ? Math.max(0, this.totalBytes - last.bytes) / bytesPerSecond : Infinity;
  }

  private span(): { first: Sample; last: Sample; seconds: number } {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    return { first, last, seconds: (last.at - first.at) / 1000 };
  }
}
