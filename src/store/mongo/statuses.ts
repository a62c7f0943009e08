import type { Collection, Filter } from 'mongodb';
import { timestampToMicros } from '../../stix/timestamp';
import type { StatusPosition, StatusRecord } from '../store';
import { INDEX, type StatusDocument } from './schema';

/**
 * Status resources. Where the server has TTL indexes, MongoDB deletes expired statuses by itself
 * (within its one-minute TTL pass, by its own clock); reads therefore also filter on `expiresAt`
 * against the store's clock, and servers without TTL (FerretDB 1.x) rely on `purge`, which the
 * store runs periodically. `now` is always a canonical timestamp from the store's clock.
 */
export class StatusRepository {
  constructor(private readonly statuses: Collection<StatusDocument>) {}

  async save(status: StatusRecord): Promise<void> {
    const { id, ...rest } = status;
    const document: StatusDocument = { ...rest, _id: id, expireAt: new Date(Number(timestampToMicros(status.expiresAt) / 1000n)) };
    await this.statuses.replaceOne({ _id: id }, document, { upsert: true, hint: INDEX.id });
  }

  async get(id: string, now: string): Promise<StatusRecord | undefined> {
    const document = await this.statuses.findOne({ _id: id, expiresAt: { $gt: now } }, { hint: INDEX.id });
    return document ? toRecord(document) : undefined;
  }

  async purge(now: string): Promise<number> {
    const result = await this.statuses.deleteMany({ expiresAt: { $lte: now } }, { hint: INDEX.statusExpiry });
    return result.deletedCount;
  }

  /** A user's live statuses, newest first (request timestamp, then id), strictly after `before`. */
  async list(owner: string, now: string, page: { limit: number; before?: StatusPosition }): Promise<StatusRecord[]> {
    const filter: Filter<StatusDocument> = { owner, expiresAt: { $gt: now } };
    const before = page.before;
    if (before !== undefined) {
      filter.$or = [
        { requestTimestamp: { $lt: before.requestTimestamp } },
        { requestTimestamp: before.requestTimestamp, _id: { $lt: before.id } },
      ];
    }
    const documents = await this.statuses
      .find(filter, { hint: INDEX.statusesByOwner, sort: { requestTimestamp: -1, _id: -1 }, limit: page.limit })
      .toArray();
    return documents.map(toRecord);
  }

  async exportAfter(afterId: string | undefined, limit: number): Promise<StatusRecord[]> {
    const filter = afterId === undefined ? {} : { _id: { $gt: afterId } };
    const documents = await this.statuses.find(filter, { hint: INDEX.id, sort: { _id: 1 }, limit }).toArray();
    return documents.map(toRecord);
  }
}

function toRecord(document: StatusDocument): StatusRecord {
  const { _id, expireAt: _expireAt, ...rest } = document;
  const record: StatusRecord = { id: _id, ...rest };
  if (record.owner === null) delete record.owner;
  return record;
}
