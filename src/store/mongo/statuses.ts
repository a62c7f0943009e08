import type { Collection } from 'mongodb';
import { timestampToMicros } from '../../stix/timestamp';
import type { StatusRecord } from '../store';
import { INDEX, type StatusDocument } from './schema';

/**
 * Status resources. Where the server has TTL indexes, MongoDB deletes expired statuses by itself
 * (within its one-minute TTL pass); reads therefore also filter on `expiresAt`, and servers
 * without TTL (FerretDB 1.x) rely on `purgeExpired`, which the store runs periodically.
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

  async purgeExpired(now: string): Promise<number> {
    const result = await this.statuses.deleteMany({ expiresAt: { $lte: now } }, { hint: INDEX.statusExpiry });
    return result.deletedCount;
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
