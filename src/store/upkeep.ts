import type { Logger } from 'winston';

/**
 * A store's periodic housekeeping (today: purging expired statuses). Runs while the store is open,
 * never keeps the process alive, never overlaps itself, and logs failures instead of throwing:
 * housekeeping that fails now simply runs again at the next tick.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<number>,
    private readonly logger: Logger | undefined,
  ) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  async runOnce(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const count = await this.task();
      if (count > 0) this.logger?.info(`${this.name}: ${count}`);
    } catch (error) {
      this.logger?.warn(`${this.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
    }
  }
}

/** How often a store purges expired statuses (reads also filter on expiry, so this only frees space). */
export const STATUS_PURGE_INTERVAL_MS = 10 * 60_000;
