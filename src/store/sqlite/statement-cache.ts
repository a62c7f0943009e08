/**
 * Prepared statements, compiled once per SQL text.
 *
 * Query SQL varies with the shape of the filter (how many ids, types, exact versions), so the
 * cache is bounded. A hit costs one map lookup (statements are fetched for every row written, so
 * hits do no bookkeeping); when the cache is full the oldest compiled statement goes, and if that
 * one is still in use it is simply compiled again on its next call.
 */
import type Database from 'better-sqlite3';

export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly capacity = 500,
  ) {}

  get(sql: string): Database.Statement {
    const cached = this.statements.get(sql);
    if (cached !== undefined) return cached;
    const statement = this.db.prepare(sql);
    this.statements.set(sql, statement);
    if (this.statements.size > this.capacity) {
      const oldest = this.statements.keys().next().value;
      if (oldest !== undefined) this.statements.delete(oldest);
    }
    return statement;
  }

  get size(): number {
    return this.statements.size;
  }
}
