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

export function readMemory(pid: number): MemoryReading {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssMiB: field(status, 'VmRSS'), hwmMiB: field(status, 'VmHWM') };
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
