/**
 * `date_added` allocation for the embedded store. Values are handed out inside the write
 * transaction (which holds SQLite's write lock, also across processes sharing the file), from a
 * per-collection high-water mark kept apart from the objects: max(now, previous + 1 µs). So they
 * are unique and strictly increasing even when the clock stands still or steps back, deleting the
 * newest object never lets a later one reuse its value, and commit order is date_added order.
 */
import type { Clock } from '../../clock';
import { microsToTimestamp, timestampToMicros } from '../../stix/timestamp';
import type { StatementCache } from './statement-cache';

const SQL = {
  lastDateAdded: 'SELECT last_date_added AS lastDateAdded FROM collection_clocks WHERE collection_id = ?',
  saveLastDateAdded: `INSERT INTO collection_clocks (collection_id, last_date_added) VALUES (?, ?)
    ON CONFLICT (collection_id) DO UPDATE SET last_date_added = MAX(last_date_added, excluded.last_date_added)`,
} as const;

/** Hands out date_added values for one collection within one write transaction. */
export class DateAddedAllocator {
  private last: bigint | undefined;
  private changed = false;

  constructor(
    private readonly statements: StatementCache,
    private readonly collectionId: string,
    private readonly clock: Clock,
  ) {
    const row = statements.get(SQL.lastDateAdded).get(collectionId) as { lastDateAdded: string } | undefined;
    this.last = row === undefined ? undefined : timestampToMicros(row.lastDateAdded);
  }

  next(): string {
    const now = this.clock();
    const micros = this.last === undefined || now > this.last ? now : this.last + 1n;
    this.last = micros;
    this.changed = true;
    return microsToTimestamp(micros);
  }

  /** Records the high-water mark; call before the transaction commits. */
  save(): void {
    if (this.changed && this.last !== undefined) recordDateAdded(this.statements, this.collectionId, microsToTimestamp(this.last));
  }
}

/** Makes later allocations come after `dateAdded` (imports keep their exported values). */
export function recordDateAdded(statements: StatementCache, collectionId: string, dateAdded: string): void {
  statements.get(SQL.saveLastDateAdded).run(collectionId, dateAdded);
}
