import { MongoServerError, type Collection, type Db, type Document } from 'mongodb';
import type { CollectionStats, DailyCount } from '../store';
import { INDEX, isNotImplemented, type VersionDocument } from './schema';

/**
 * Collection statistics for `taxiway stats` and the console. Exact counts, read from indexes where
 * MongoDB can: versions per type from the (collection, type, date_added) index, objects per type
 * from the last-version flag (every object has exactly one last version), the oldest and newest
 * date_added as single index entries, and adds per day by grouping a date_added range.
 * Only `$match`, `$group` and `$sum` are used for the counts, which FerretDB 1.x also has; days
 * need `$substrBytes`, and without it the day of each version is read and counted here.
 */

/** dbStats failures that mean "this server or user cannot tell" rather than "the database is gone". */
const NO_DB_STATS = new Set([13, 59, 115, 238]);

export class CollectionStatistics {
  /** False once the server turned out to lack `$substrBytes` in `$group` (FerretDB 1.x). */
  private groupsByDay = true;

  constructor(
    private readonly db: Db,
    private readonly objects: Collection<VersionDocument>,
  ) {}

  async collectionStats(collectionId: string): Promise<CollectionStats> {
    const [versions, objects, first, last] = await Promise.all([
      this.countByType({ collectionId }, INDEX.byType),
      this.countByType({ collectionId, isLast: true }, INDEX.lastVersions),
      this.endDateAdded(collectionId, 1),
      this.endDateAdded(collectionId, -1),
    ]);
    const byType = [...versions.keys()]
      .sort()
      .map((type) => ({ type, objects: objects.get(type) ?? 0, versions: versions.get(type) ?? 0 }));
    const stats: CollectionStats = {
      objects: byType.reduce((sum, row) => sum + row.objects, 0),
      versions: byType.reduce((sum, row) => sum + row.versions, 0),
      byType,
    };
    if (first !== undefined) stats.firstDateAdded = first;
    if (last !== undefined) stats.lastDateAdded = last;
    return stats;
  }

  async addedPerDay(collectionId: string, since: string): Promise<DailyCount[]> {
    const match = { collectionId, dateAdded: { $gt: since } };
    if (this.groupsByDay) {
      try {
        const rows = await this.objects
          .aggregate<{ _id: string; versions: number }>(
            [{ $match: match }, { $group: { _id: { $substrBytes: ['$dateAdded', 0, 10] }, versions: { $sum: 1 } } }, { $sort: { _id: 1 } }],
            { hint: INDEX.byDateAdded },
          )
          .toArray();
        return rows.map((row) => ({ day: row._id, versions: row.versions }));
      } catch (error) {
        if (!isNotImplemented(error)) throw error;
        this.groupsByDay = false;
      }
    }
    const perDay = new Map<string, number>();
    const cursor = this.objects.find<{ dateAdded: string }>(match, { hint: INDEX.byDateAdded, projection: { _id: 0, dateAdded: 1 }, batchSize: 100_000 });
    for await (const { dateAdded } of cursor) {
      const day = dateAdded.slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    return [...perDay.keys()].sort().map((day) => ({ day, versions: perDay.get(day) ?? 0 }));
  }

  async storageBytes(): Promise<number | undefined> {
    let stats: Document;
    try {
      stats = await this.db.command({ dbStats: 1 });
    } catch (error) {
      if (error instanceof MongoServerError && typeof error.code === 'number' && NO_DB_STATS.has(error.code)) return undefined;
      throw error;
    }
    const { storageSize, indexSize } = stats;
    return typeof storageSize === 'number' && typeof indexSize === 'number' ? storageSize + indexSize : undefined;
  }

  private async countByType(match: Document, hint: string): Promise<Map<string, number>> {
    const rows = await this.objects
      .aggregate<{ _id: string; count: number }>([{ $match: match }, { $group: { _id: '$type', count: { $sum: 1 } } }], { hint })
      .toArray();
    return new Map(rows.map((row) => [row._id, row.count]));
  }

  private async endDateAdded(collectionId: string, direction: 1 | -1): Promise<string | undefined> {
    const [end] = await this.objects
      .find({ collectionId }, { hint: INDEX.byDateAdded, sort: { dateAdded: direction }, limit: 1, projection: { _id: 0, dateAdded: 1 } })
      .toArray();
    return end?.dateAdded;
  }
}
