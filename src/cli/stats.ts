/**
 * `taxiway stats [COLLECTION]`: what the store holds, per configured collection (objects,
 * versions, per type, first and last date_added) and the store's size. A table for people,
 * `--json` for scripts. Counting reads each collection's index entries, so on a large store it
 * takes a moment; it never blocks a running server's writes.
 */
import type { Command } from 'commander';
import { systemClock } from '../clock';
import type { CollectionConfig, TaxiwayConfig } from '../config/types';
import { StatsService, type CollectionSummary } from '../services/stats';
import { collectionLabel, isResolved, resolveCollection } from './collection-ref';
import { EXIT_CONFIG, EXIT_FAILED, EXIT_OK } from './exit-codes';
import { loadOperatorConfig, withConfiguredStore } from './operator-store';
import { formatStatsJson, formatStatsTable, type StatsReport } from './stats-format';

export interface StatsOptions {
  config: TaxiwayConfig;
  /** One collection (id, ROOT/ALIAS or ROOT/ID); every configured collection otherwise. */
  collection?: string;
  json: boolean;
}

export async function runStats(options: StatsOptions, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }): Promise<number> {
  let collections: readonly CollectionConfig[] = options.config.collections;
  if (options.collection !== undefined) {
    const found = resolveCollection(options.config, options.collection);
    if (!isResolved(found)) {
      io.err.write(`${found.error}\n`);
      return EXIT_CONFIG;
    }
    collections = [found];
  }
  return withConfiguredStore(options.config, io.err, EXIT_FAILED, async (store) => {
    const service = new StatsService(store);
    const now = systemClock();
    const report: StatsReport = { store: { ...storeName(options.config), bytes: await store.storageBytes() }, collections: [] };
    // One collection at a time: each count reads a whole collection's index.
    for (const collection of collections) {
      const summary: CollectionSummary = await service.compute(collection.id, now);
      report.collections.push({ collection, label: collectionLabel(collection), summary });
    }
    io.out.write(options.json ? formatStatsJson(report) : formatStatsTable(report));
    return EXIT_OK;
  });
}

/** The store as an operator knows it: the SQLite file, or the MongoDB database (never the URI, which may hold a password). */
function storeName(config: TaxiwayConfig): { type: string; name: string } {
  const { store } = config;
  return store.type === 'sqlite' ? { type: 'sqlite', name: store.sqlite.path } : { type: 'mongodb', name: store.mongodb?.database ?? '' };
}

export function register(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('stats')
    .description('objects and versions per collection and per type, first and last date_added, and the store size')
    .argument('[collection]', 'one collection (id, ROOT/ALIAS or ROOT/ID); default: every configured collection')
    .option('-c, --config <file>', 'YAML configuration (default: $TAXIWAY_CONFIG, else config/taxiway.yaml)')
    .option('--json', 'print JSON instead of a table')
    .action(async (collection: string | undefined, opts: { config?: string; json?: boolean }) => {
      const config = loadOperatorConfig(opts.config, process.stderr);
      if (config === undefined) return setExitCode(EXIT_CONFIG);
      setExitCode(await runStats({ config, collection, json: opts.json === true }, { out: process.stdout, err: process.stderr }));
    });
}
