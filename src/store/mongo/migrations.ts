import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import type { Logger } from 'winston';
import { contentDigest, DIGEST_VERSION } from '../../stix/digest';
import { SchemaTooNewError } from '../store';
import { isDuplicateKeyError } from './errors';
import { headKey } from './keys';
import { INDEX, type SchemaDocument, type TaxiwayCollections, type VersionDocument } from './schema';

/**
 * Versioned migrations of the documents already stored, run by `open()`.
 *
 * A migration walks the version documents in `_id` order, a batch at a time, and rewrites what it
 * must. Its progress document records the last `_id` done, so a migration interrupted by a crash
 * resumes there. Several Taxiway instances opening one database at once may all run it: the work
 * is idempotent (a document is rewritten from its own content), each batch starts after the
 * furthest checkpoint any of them recorded, and whoever finishes records the schema version.
 * Migrations are never edited once released: a change is a new entry at the end of `MIGRATIONS`.
 */

export interface Migration {
  version: number;
  description: string;
  /** Fields of the version documents `upgrade` needs. */
  fields: Readonly<Record<string, 1>>;
  /** The updates that bring one batch of documents (ascending `_id`) to this version. */
  upgrade(batch: readonly Partial<VersionDocument>[], collections: TaxiwayCollections): Promise<AnyBulkWriteOperation<VersionDocument>[]>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: `versions record their object's owner (deletes check it), and digests are recomputed (digest version ${DIGEST_VERSION})`,
    fields: { _id: 1, collectionId: 1, objectId: 1, json: 1, owner: 1 },
    async upgrade(batch, collections) {
      // Documents this release wrote already have an owner field (null for nobody) and new digests.
      const legacy = batch.filter((document) => document.owner === undefined);
      if (legacy.length === 0) return [];
      const keys = [...new Set(legacy.map((document) => headKey(document.collectionId as string, document.objectId as string)))];
      const heads = await collections.heads.find({ _id: { $in: keys } }, { hint: INDEX.id, projection: { owner: 1 } }).toArray();
      const owners = new Map(heads.map((head) => [head._id, head.owner ?? null]));
      return legacy.map((document): AnyBulkWriteOperation<VersionDocument> => ({
        updateOne: {
          filter: { _id: document._id as string, owner: { $exists: false } },
          update: {
            $set: {
              owner: owners.get(headKey(document.collectionId as string, document.objectId as string)) ?? null,
              digest: contentDigest(JSON.parse(document.json as string) as Record<string, unknown>),
            },
          },
          hint: INDEX.id,
        },
      }));
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

const VERSION_ID = 'version';
const BATCH = 1000;
/** FerretDB 1.24 hangs on an update command of 100 statements or more. */
const STATEMENTS_PER_COMMAND = 99;
const LOG_EVERY_BATCHES = 50;

export interface MigrationOptions {
  logger?: Logger;
  migrations?: readonly Migration[];
  /** Documents per batch (tests use small ones). */
  batchSize?: number;
}

/** The schema version the database records (0 for a new database or one from before migrations). */
export async function schemaVersion(schema: Collection<SchemaDocument>): Promise<number> {
  return (await schema.findOne({ _id: VERSION_ID }, { hint: INDEX.id }))?.version ?? 0;
}

/**
 * Brings the stored documents to the latest schema. Safe to call on every start: a database at the
 * latest version costs one read, and one written by a newer Taxiway is refused.
 */
export async function migrate(collections: TaxiwayCollections, options: MigrationOptions = {}): Promise<void> {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  const current = await schemaVersion(collections.schema);
  if (current > latest) throw new SchemaTooNewError('MongoDB', current, latest);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    await runMigration(collections, migration, options);
    await recordVersion(collections.schema, migration.version);
  }
}

async function runMigration(collections: TaxiwayCollections, migration: Migration, options: MigrationOptions): Promise<void> {
  const { schema, objects } = collections;
  const progressId = `migration-${migration.version}`;
  const batchSize = options.batchSize ?? BATCH;
  await schema.updateOne(
    { _id: progressId },
    { $setOnInsert: { description: migration.description, startedAt: new Date() } },
    { upsert: true, hint: INDEX.id },
  ).catch((error: unknown) => {
    // Two instances starting at once both upserted; the document exists now.
    if (!isDuplicateKeyError(error)) throw error;
  });
  const started = Date.now();
  let documents = 0;
  options.logger?.info(`MongoDB migration ${migration.version} (${migration.description}): starting`);
  for (let batches = 1; ; batches++) {
    const state = await schema.find({ _id: { $in: [VERSION_ID, progressId] } }, { hint: INDEX.id }).toArray();
    if ((state.find((document) => document._id === VERSION_ID)?.version ?? 0) >= migration.version) {
      options.logger?.info(`MongoDB migration ${migration.version}: finished by another instance`);
      return;
    }
    const checkpoint = state.find((document) => document._id === progressId)?.checkpoint;
    const batch = await objects
      .find<Partial<VersionDocument>>(checkpoint === undefined ? {} : { _id: { $gt: checkpoint } }, {
        hint: INDEX.id,
        sort: { _id: 1 },
        limit: batchSize,
        projection: migration.fields,
      })
      .toArray();
    if (batch.length === 0) break;
    const updates = await migration.upgrade(batch, collections);
    for (let i = 0; i < updates.length; i += STATEMENTS_PER_COMMAND) {
      await objects.bulkWrite(updates.slice(i, i + STATEMENTS_PER_COMMAND), { ordered: false });
    }
    await schema.updateOne({ _id: progressId }, { $max: { checkpoint: batch[batch.length - 1]._id as string } }, { hint: INDEX.id });
    documents += batch.length;
    if (batches % LOG_EVERY_BATCHES === 0) options.logger?.info(`MongoDB migration ${migration.version}: ${documents} documents so far`);
  }
  await schema.updateOne({ _id: progressId }, { $set: { finishedAt: new Date() } }, { hint: INDEX.id });
  options.logger?.info(`MongoDB migration ${migration.version}: finished, ${documents} documents in ${Date.now() - started} ms`);
}

async function recordVersion(schema: Collection<SchemaDocument>, version: number): Promise<void> {
  const update = { $max: { version } };
  try {
    await schema.updateOne({ _id: VERSION_ID }, update, { upsert: true, hint: INDEX.id });
  } catch (error) {
    // Two instances recorded it at once: the document exists now.
    if (!isDuplicateKeyError(error)) throw error;
    await schema.updateOne({ _id: VERSION_ID }, update, { hint: INDEX.id });
  }
}
