import type { MongoClient, W } from 'mongodb';
import { nowMicros, nowTimestamp } from '../../stix/timestamp';
import {
  StoreUnavailableError,
  type AddOutcome,
  type ExportedObject,
  type IncomingObject,
  type ObjectQuery,
  type Page,
  type PageRequest,
  type SpecVersionSelection,
  type StatusRecord,
  type Store,
  type StoreHealth,
  type StoredObject,
  type StoredVersion,
  type VersionSelection,
  type Writer,
} from '../store';
import { ObjectBookkeeping } from './bookkeeping';
import { connectWithRetries, createClient } from './connection';
import { DateAddedAllocator } from './date-added';
import { unlessUnavailable } from './errors';
import { specVersionFilter, versionSelectionFilter } from './object-filters';
import { ObjectReader } from './object-reader';
import { ObjectWriter } from './object-writer';
import {
  DEFAULT_CONNECT_RETRIES,
  DEFAULT_STATUS_PURGE_INTERVAL_MS,
  DEFAULT_WRITE_CONCERN_TIMEOUT_MS,
  DEFAULT_WRITE_LEASE_MS,
  type MongoStoreOptions,
} from './options';
import { redactText } from './redact';
import { ensureIndexes, INDEX, taxiwayCollections, type TaxiwayCollections } from './schema';
import { StatusRepository } from './statuses';

/** What exists once `open()` has connected. */
interface OpenState {
  client: MongoClient;
  collections: TaxiwayCollections;
  bookkeeping: ObjectBookkeeping;
  reader: ObjectReader;
  writer: ObjectWriter;
  statuses: StatusRepository;
  purgeTimer?: NodeJS.Timeout;
}

export class MongoStore implements Store {
  private state?: OpenState;
  private opening?: Promise<void>;

  constructor(private readonly options: MongoStoreOptions) {}

  open(): Promise<void> {
    this.opening ??= this.connect().catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  async close(): Promise<void> {
    const state = this.state;
    this.state = undefined;
    this.opening = undefined;
    if (!state) return;
    if (state.purgeTimer) clearInterval(state.purgeTimer);
    await state.client.close();
  }

  async health(): Promise<StoreHealth> {
    if (!this.state) return { ok: false, store: 'mongodb', detail: 'not open' };
    try {
      await this.state.client.db('admin').command({ ping: 1 });
      return { ok: true, store: 'mongodb' };
    } catch (error) {
      return { ok: false, store: 'mongodb', detail: this.redact(error instanceof Error ? error.message : String(error)) };
    }
  }

  addObjects(collectionId: string, objects: readonly IncomingObject[], writer: Writer): Promise<AddOutcome[]> {
    return this.run((state) => state.writer.add(collectionId, objects, writer));
  }

  queryObjects(query: ObjectQuery, page: PageRequest): Promise<Page<StoredObject>> {
    return this.run((state) => state.reader.queryObjects(query, page));
  }

  queryVersions(query: ObjectQuery, page: PageRequest): Promise<Page<StoredVersion>> {
    return this.run((state) => state.reader.queryVersions(query, page));
  }

  hasObject(collectionId: string, id: string): Promise<boolean> {
    return this.run((state) => state.reader.hasAny(collectionId, id));
  }

  getOwner(collectionId: string, id: string): Promise<string | undefined> {
    return this.run((state) => state.bookkeeping.owner(collectionId, id));
  }

  deleteObject(
    collectionId: string,
    id: string,
    versions: VersionSelection,
    specVersions: SpecVersionSelection,
  ): Promise<number> {
    return this.run(async (state) => {
      const filter = { collectionId, objectId: id, ...versionSelectionFilter(versions), ...specVersionFilter(specVersions) };
      const result = await state.collections.objects.deleteMany(filter, { hint: INDEX.versionUnique });
      if (result.deletedCount > 0) await state.bookkeeping.afterChange(collectionId, id);
      return result.deletedCount;
    });
  }

  saveStatus(status: StatusRecord): Promise<void> {
    return this.run((state) => state.statuses.save(status));
  }

  getStatus(id: string, now: string): Promise<StatusRecord | undefined> {
    return this.run((state) => state.statuses.get(id, now));
  }

  purgeExpiredStatuses(now: string): Promise<number> {
    return this.run((state) => state.statuses.purgeExpired(now));
  }

  listCollectionIds(): Promise<string[]> {
    return this.run(async (state) => {
      const candidates = await state.reader.collectionIdsEverWritten();
      const withObjects: string[] = [];
      for (const collectionId of candidates) if (await state.reader.hasAny(collectionId)) withObjects.push(collectionId);
      return withObjects;
    });
  }

  exportObjects(collectionId: string, page: PageRequest): Promise<Page<ExportedObject>> {
    return this.run((state) => state.reader.exportObjects(collectionId, page));
  }

  importObjects(collectionId: string, objects: readonly ExportedObject[]): Promise<void> {
    return this.run((state) => state.writer.import(collectionId, objects));
  }

  exportStatuses(afterId: string | undefined, limit: number): Promise<StatusRecord[]> {
    return this.run((state) => state.statuses.exportAfter(afterId, limit));
  }

  private async connect(): Promise<void> {
    const { uri, database, logger } = this.options;
    const client = createClient(uri, this.options.clientOptions);
    this.options.testHooks?.onClientCreated?.(client);
    const retries = { ...DEFAULT_CONNECT_RETRIES, ...this.options.connectRetries };
    try {
      await connectWithRetries(client, uri, retries, logger);
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
    try {
      const db = client.db(database, {
        writeConcern: {
          // A string other than `majority` names a replica-set tag set, which the driver types omit.
          w: (this.options.writeConcern ?? 'majority') as W,
          wtimeoutMS: this.options.writeConcernTimeoutMs ?? DEFAULT_WRITE_CONCERN_TIMEOUT_MS,
        },
      });
      const collections = taxiwayCollections(db);
      const { ttl } = await ensureIndexes(collections);
      const allocator = new DateAddedAllocator(
        collections,
        this.options.clock ?? nowMicros,
        this.options.writeLeaseMs ?? DEFAULT_WRITE_LEASE_MS,
      );
      const bookkeeping = new ObjectBookkeeping(collections.objects, collections.heads);
      const statuses = new StatusRepository(collections.statuses);
      this.state = {
        client,
        collections,
        bookkeeping,
        statuses,
        reader: new ObjectReader(collections.objects, allocator, bookkeeping),
        writer: new ObjectWriter(collections.objects, bookkeeping, allocator, this.options.testHooks ?? {}),
        purgeTimer: ttl ? undefined : this.startStatusPurge(statuses),
      };
      if (!ttl) logger?.info('MongoDB server has no TTL indexes (FerretDB 1.x?); expired statuses are purged periodically');
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new StoreUnavailableError(`could not prepare MongoDB database ${database}: ${this.describe(error)}`, {
        cause: error,
      });
    }
  }

  /** Servers without TTL indexes: delete expired statuses on a timer that never keeps Node alive. */
  private startStatusPurge(statuses: StatusRepository): NodeJS.Timeout {
    const timer = setInterval(() => {
      statuses.purgeExpired(nowTimestamp()).catch((error: unknown) => {
        this.options.logger?.warn(`status purge failed: ${this.describe(error)}`);
      });
    }, this.options.statusPurgeIntervalMs ?? DEFAULT_STATUS_PURGE_INTERVAL_MS);
    timer.unref();
    return timer;
  }

  private async run<T>(operation: (state: OpenState) => Promise<T>): Promise<T> {
    const state = this.state;
    if (!state) throw new StoreUnavailableError('MongoDB store is not open');
    return unlessUnavailable(() => operation(state), (text) => this.redact(text));
  }

  private describe(error: unknown): string {
    return this.redact(error instanceof Error ? error.message : String(error));
  }

  private redact(text: string): string {
    return redactText(text, this.options.uri);
  }
}
