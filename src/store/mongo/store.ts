/**
 * The MongoDB Taxiway store: a replica set or sharded cluster shared by several stateless Taxiway
 * instances (FerretDB 1.x in tests). Nothing relies on transactions: see `date-added.ts` for how
 * date_added stays strictly increasing and commit-ordered across instances, `bookkeeping.ts` for
 * the first/last flags and `writer.ts` for ownership. `docs/mongodb.md` has the whole picture.
 */
import type { MongoClient, W } from 'mongodb';
import { systemClock, systemElapsed, type Clock } from '../../clock';
import { microsToTimestamp } from '../../stix/timestamp';
import {
  SchemaTooNewError,
  StoreUnavailableError,
  type AddOutcome,
  type CollectionStats,
  type DailyCount,
  type DeleteOutcome,
  type ExportedObject,
  type IncomingObject,
  type ObjectQuery,
  type ObjectText,
  type Page,
  type PageRequest,
  type SpecVersionSelection,
  type StatusPosition,
  type StatusRecord,
  type Store,
  type StoreHealth,
  type StoreTransfer,
  type StoredObject,
  type StoredVersion,
  type VersionSelection,
  type Writer,
} from '../store';
import { PeriodicTask, STATUS_PURGE_INTERVAL_MS } from '../upkeep';
import { ObjectBookkeeping } from './bookkeeping';
import { connectWithRetries, createClient } from './connection';
import { DateAddedAllocator } from './date-added';
import { unlessUnavailable } from './errors';
import { migrate } from './migrations';
import { DEFAULT_CONNECT_RETRIES, DEFAULT_WRITE_CONCERN_TIMEOUT_MS, DEFAULT_WRITE_LEASE_MS, type MongoStoreOptions } from './options';
import { PageReader } from './query';
import { redactText } from './redact';
import { ensureIndexes, INDEX, taxiwayCollections, type TaxiwayCollections } from './schema';
import { CollectionStatistics } from './stats';
import { StatusRepository } from './statuses';
import { Transfer } from './transfer';
import { ObjectWriter } from './writer';

/** What exists once `open()` has connected. */
interface OpenState {
  client: MongoClient;
  collections: TaxiwayCollections;
  bookkeeping: ObjectBookkeeping;
  pages: PageReader;
  writer: ObjectWriter;
  statuses: StatusRepository;
  statistics: CollectionStatistics;
  transfer: Transfer;
  /** Servers without TTL indexes: the store deletes expired statuses itself. */
  statusPurge?: PeriodicTask;
}

export class MongoStore implements Store, StoreTransfer {
  private state?: OpenState;
  private opening?: Promise<void>;
  private readonly clock: Clock;

  constructor(private readonly options: MongoStoreOptions) {
    this.clock = options.clock ?? systemClock;
  }

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
    state.statusPurge?.stop();
    await state.client.close();
  }

  async health(): Promise<StoreHealth> {
    if (!this.state) return { ok: false, store: 'mongodb', detail: 'not open' };
    try {
      await this.state.client.db('admin').command({ ping: 1 });
      return { ok: true, store: 'mongodb' };
    } catch (error) {
      return { ok: false, store: 'mongodb', detail: this.describe(error) };
    }
  }

  addObjects(collectionId: string, objects: readonly IncomingObject[], writer: Writer): Promise<AddOutcome[]> {
    return this.run((state) => state.writer.add(collectionId, objects, writer));
  }

  queryObjects(query: ObjectQuery, page: PageRequest): Promise<Page<StoredObject>> {
    return this.run((state) => state.pages.objectPage(query, page));
  }

  queryObjectTexts(query: ObjectQuery, page: PageRequest): Promise<Page<ObjectText>> {
    return this.run((state) => state.pages.textPage(query, page));
  }

  queryVersions(query: ObjectQuery, page: PageRequest): Promise<Page<StoredVersion>> {
    return this.run((state) => state.pages.versionPage(query, page));
  }

  hasObject(collectionId: string, id: string): Promise<boolean> {
    return this.run(async (state) => {
      const found = await state.collections.objects.findOne({ collectionId, objectId: id }, { hint: INDEX.versionUnique, projection: { _id: 1 } });
      return found !== null;
    });
  }

  getOwner(collectionId: string, id: string): Promise<string | undefined> {
    return this.run((state) => state.bookkeeping.owner(collectionId, id));
  }

  deleteObject(collectionId: string, id: string, versions: VersionSelection, specVersions: SpecVersionSelection, writer: Writer): Promise<DeleteOutcome> {
    return this.run((state) => state.writer.delete(collectionId, id, versions, specVersions, writer));
  }

  saveStatus(status: StatusRecord): Promise<void> {
    return this.run((state) => state.statuses.save(status));
  }

  getStatus(id: string): Promise<StatusRecord | undefined> {
    return this.run((state) => state.statuses.get(id, this.now()));
  }

  purgeExpiredStatuses(): Promise<number> {
    return this.run((state) => state.statuses.purge(this.now()));
  }

  listStatuses(owner: string, page: { limit: number; before?: StatusPosition }): Promise<StatusRecord[]> {
    return this.run((state) => state.statuses.list(owner, this.now(), page));
  }

  collectionStats(collectionId: string): Promise<CollectionStats> {
    return this.run((state) => state.statistics.collectionStats(collectionId));
  }

  addedPerDay(collectionId: string, since: string): Promise<DailyCount[]> {
    return this.run((state) => state.statistics.addedPerDay(collectionId, since));
  }

  storageBytes(): Promise<number | undefined> {
    return this.run((state) => state.statistics.storageBytes());
  }

  listCollectionIds(): Promise<string[]> {
    return this.run((state) => state.transfer.listCollectionIds());
  }

  exportObjects(collectionId: string, page: { after?: string; limit: number }): Promise<Page<ExportedObject>> {
    return this.run((state) => state.transfer.exportObjects(collectionId, page));
  }

  importObjects(collectionId: string, objects: readonly ExportedObject[]): Promise<void> {
    return this.run((state) => state.transfer.importObjects(collectionId, objects));
  }

  exportStatuses(afterId: string | undefined, limit: number): Promise<StatusRecord[]> {
    return this.run((state) => state.statuses.exportAfter(afterId, limit));
  }

  private now(): string {
    return microsToTimestamp(this.clock());
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
      await migrate(collections, { logger });
      const allocator = new DateAddedAllocator(
        collections.ranges,
        this.clock,
        this.options.elapsed ?? systemElapsed,
        this.options.writeLeaseMs ?? DEFAULT_WRITE_LEASE_MS,
      );
      const bookkeeping = new ObjectBookkeeping(collections.objects, collections.heads, logger);
      const statuses = new StatusRepository(collections.statuses);
      const statusPurge = ttl
        ? undefined
        : new PeriodicTask('expired statuses purged', STATUS_PURGE_INTERVAL_MS, () => this.purgeExpiredStatuses(), logger);
      this.state = {
        client,
        collections,
        bookkeeping,
        statuses,
        pages: new PageReader(collections.objects, (collectionId) => allocator.watermark(collectionId)),
        writer: new ObjectWriter({ objects: collections.objects, bookkeeping, allocator, hooks: this.options.testHooks ?? {} }),
        statistics: new CollectionStatistics(db, collections.objects),
        transfer: new Transfer(collections.objects, bookkeeping, allocator),
        statusPurge,
      };
      if (statusPurge !== undefined) {
        statusPurge.start();
        logger?.info('MongoDB server has no TTL indexes (FerretDB 1.x?); expired statuses are purged periodically');
      }
    } catch (error) {
      await client.close().catch(() => undefined);
      if (error instanceof SchemaTooNewError) throw error;
      throw new StoreUnavailableError(`could not prepare MongoDB database ${database}: ${this.describe(error)}`, { cause: error });
    }
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
