/**
 * Collection statistics for `taxiway stats` and the console: counts per type, first and last
 * date_added, versions added per day. Counting may read every index entry of a collection, so a
 * process keeps each answer for `ttlMs` (a few minutes by default): a page view never scans a
 * large collection again, and the figures lag by at most that much.
 */
import { systemElapsed, type ElapsedClock } from '../clock';
import type { CollectionConfig } from '../config/types';
import { microsToTimestamp } from '../stix/timestamp';
import type { CollectionStats, DailyCount, Store } from '../store/store';

export interface CollectionSummary extends CollectionStats {
  /** Versions added per UTC day over the last `days` days, oldest first, days without adds as 0. */
  perDay: DailyCount[];
}

const DAY_MICROS = 86_400_000_000n;

export class StatsService {
  private readonly cache = new Map<string, { at: number; value: Promise<CollectionSummary> }>();

  constructor(
    private readonly store: Store,
    private readonly options: { ttlMs?: number; elapsed?: ElapsedClock; days?: number } = {},
  ) {}

  /** The summary of a collection, at most `ttlMs` old. `now` (µs) fixes the last day shown. */
  summary(collection: CollectionConfig, now: bigint): Promise<CollectionSummary> {
    const elapsed = this.options.elapsed ?? systemElapsed;
    const ttl = this.options.ttlMs ?? 120_000;
    const cached = this.cache.get(collection.id);
    if (cached && elapsed() - cached.at < ttl) return cached.value;
    const value = this.compute(collection.id, now);
    this.cache.set(collection.id, { at: elapsed(), value });
    // A failure is not kept: the next view tries again.
    value.catch(() => this.cache.delete(collection.id));
    return value;
  }

  /** Uncached, for the command line. */
  async compute(collectionId: string, now: bigint): Promise<CollectionSummary> {
    const days = this.options.days ?? 30;
    const firstDay = (now / DAY_MICROS - BigInt(days - 1)) * DAY_MICROS;
    const [stats, counted] = await Promise.all([
      this.store.collectionStats(collectionId),
      // Strictly after the instant before the first day's midnight.
      this.store.addedPerDay(collectionId, microsToTimestamp(firstDay - 1n)),
    ]);
    const byDay = new Map(counted.map((d) => [d.day, d.versions]));
    const perDay: DailyCount[] = [];
    for (let i = 0; i < days; i++) {
      const day = microsToTimestamp(firstDay + BigInt(i) * DAY_MICROS).slice(0, 10);
      perDay.push({ day, versions: byDay.get(day) ?? 0 });
    }
    return { ...stats, perDay };
  }
}
