/**
 * Resident memory of another process from /proc/<pid>/status: VmRSS (now) and VmHWM (the peak since
 * it started, kept by the kernel, so a spike between two samples is not missed).
 */
import { readFileSync } from 'node:fs';

export interface MemoryReading {
  rssMiB: number;
  hwmMiB: number;
}

function field(status: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!match) throw new Error(`/proc status has no ${name} (not Linux?)`);
  return Number(match[1]) / 1024;
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return []; // exited meanwhile, or a kernel without the children file
  }
}

/**
 * The process and its descendants, summed: with `serve --workers N` the server is a primary and N
 * workers, and their memory together is what the machine must hold. (VmHWM summed is an upper
 * bound: the processes need not peak at the same moment.)
 */
export function readMemory(pid: number): MemoryReading {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const own = { rssMiB: field(status, 'VmRSS'), hwmMiB: field(status, 'VmHWM') };
  for (const child of childrenOf(pid)) {
    try {
      const sub = readMemory(child);
      own.rssMiB += sub.rssMiB;
      own.hwmMiB += sub.hwmMiB;
    } catch {
      // A child that exits between listing and reading holds no memory any more.
    }
  }
  return own;
}

/** Samples VmRSS at an interval until stopped; reports the largest sample and the final VmHWM. */
export class MemorySampler {
  private peakRss = 0;
  private samples = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 250,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    try {
      this.peakRss = Math.max(this.peakRss, readMemory(this.pid).rssMiB);
      this.samples++;
    } catch {
      // The process may be exiting; the caller notices that by other means.
    }
  }

  stop(): { peakRssMiB: number; hwmMiB: number; samples: number } {
    clearInterval(this.timer);
    this.sample();
    return { peakRssMiB: this.peakRss, hwmMiB: readMemory(this.pid).hwmMiB, samples: this.samples };
  }
}
