/**
 * `taxiway export COLLECTION`: writes a collection's objects as a STIX bundle or NDJSON, to
 * standard output or a file. Pages through the store in date_added order (as a TAXII poll
 * does) and writes each page before reading the next, waiting for the output to drain, so memory
 * holds one page whatever the collection size. By default it selects what a TAXII GET without
 * filters returns (each object's latest version in its latest spec version); `--all-versions`
 * selects every stored version in every spec version.
 *
 * A server may write to the collection meanwhile. The export is not a snapshot but a walk in
 * date_added order, like a paging TAXII client's: versions added while it runs come at the end
 * and are included, so with the default selection an object updated meanwhile can appear in
 * both its old and its new version.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { TaxiwayConfig } from '../config/types';
import { ObjectService, type ObjectFilters } from '../services/objects';
import { parseTimestamp } from '../stix/timestamp';
import { collectionLabel, isResolved, resolveCollection } from './collection-ref';
import { EXIT_CONFIG, EXIT_FAILED, EXIT_OK } from './exit-codes';
import { EXPORT_FORMATS, framing, type ExportFormat } from './export-format';
import { loadOperatorConfig, withConfiguredStore } from './operator-store';
import { OutputFailed, OutputSink } from './output-sink';
import { formatCount } from './units';

export interface ExportOptions {
  config: TaxiwayConfig;
  /** COLLECTION as given: an id, ROOT/ALIAS or ROOT/ID. */
  collection: string;
  types?: readonly string[];
  /** Only versions added after this RFC 3339 timestamp (as given). */
  addedAfter?: string;
  allVersions: boolean;
  format: ExportFormat;
  /** A file to write; standard output otherwise. */
  output?: string;
  /** Objects per store page (tests make it small). */
  pageSize?: number;
}

export interface ExportIo {
  /** Standard output: the data, unless `output` names a file. */
  stdout: NodeJS.WritableStream;
  /** Messages. */
  err: NodeJS.WritableStream;
}

/** A page never holds more stored JSON than this beyond its first object. */
const PAGE_BYTES = 8 * 1024 * 1024;
const DEFAULT_PAGE_SIZE = 1000;

export async function runExport(options: ExportOptions, io: ExportIo): Promise<{ exitCode: number; objects: number }> {
  const collection = resolveCollection(options.config, options.collection);
  if (!isResolved(collection)) return usageError(io, collection.error);
  let after: string | undefined;
  if (options.addedAfter !== undefined) {
    after = parseTimestamp(options.addedAfter)?.canonical;
    if (after === undefined) return usageError(io, `--added-after ${options.addedAfter}: not an RFC 3339 UTC timestamp (e.g. 2024-01-31T00:00:00Z)`);
  }
  const filters: ObjectFilters = {
    ...(options.types && options.types.length > 0 ? { types: options.types } : {}),
    // TAXII's defaults for a read without match[version] and match[spec_version] (TAXII 2.1 §3.4.1).
    versions: options.allVersions ? { all: true } : { first: false, last: true, exact: [] },
    specVersions: options.allVersions ? { any: true } : { latest: true },
  };
  let sink: OutputSink;
  try {
    sink = options.output === undefined ? OutputSink.stream(io.stdout) : await OutputSink.file(options.output);
  } catch (error) {
    return usageError(io, `--output ${options.output}: ${(error as Error).message}`);
  }

  let objects = 0;
  let finished = false;
  let exitCode: number;
  try {
    exitCode = await withConfiguredStore(options.config, io.err, EXIT_FAILED, async (store) => {
      const service = new ObjectService(store);
      const frame = framing(options.format);
      try {
        for (;;) {
          const page = await service.listTexts(collection, { ...filters, after }, { limit: options.pageSize ?? DEFAULT_PAGE_SIZE, maxBytes: PAGE_BYTES });
          await sink.write(frame.page(page.items.map((item) => item.json)));
          objects += page.items.length;
          if (!page.more || page.items.length === 0) break;
          // date_added is strictly increasing within a collection: the last one is an exact cursor.
          after = page.items[page.items.length - 1].dateAdded;
        }
        await sink.write(frame.end());
        await sink.finish();
        finished = true;
        return EXIT_OK;
      } catch (error) {
        if (!(error instanceof OutputFailed)) throw error;
        io.err.write(`export stopped: cannot write the output: ${error.message}\n`);
        return EXIT_FAILED;
      }
    });
  } finally {
    // A file that was not finished is removed rather than left looking like a whole export.
    if (!finished) await sink.abandon();
  }
  if (exitCode === EXIT_OK) {
    const where = options.output ?? 'standard output';
    io.err.write(`exported ${formatCount(objects)} object${objects === 1 ? '' : 's'} from ${collectionLabel(collection)} (${collection.id}) to ${where}\n`);
  }
  return { exitCode, objects };
}

function usageError(io: ExportIo, message: string): { exitCode: number; objects: number } {
  io.err.write(`${message}\n`);
  return { exitCode: EXIT_CONFIG, objects: 0 };
}

/** `--type a --type b,c` → [a, b, c]. */
function collectTypes(value: string, previous: string[] = []): string[] {
  const types = value.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  if (types.length === 0) throw new InvalidArgumentError('expected a STIX type, e.g. indicator');
  return [...previous, ...types];
}

export function register(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('export')
    .description("write a collection's objects as a STIX bundle or NDJSON (default: each object's latest version, as a TAXII poll)")
    .argument('<collection>', 'collection id, ROOT/ALIAS or ROOT/ID')
    .option('-c, --config <file>', 'YAML configuration (default: $TAXIWAY_CONFIG, else config/taxiway.yaml)')
    .option('--type <types>', 'only objects of these STIX types (repeatable, or comma-separated)', collectTypes)
    .option('--added-after <timestamp>', 'only versions added after this time (RFC 3339, e.g. 2024-01-31T00:00:00Z)')
    .option('--all-versions', 'every stored version in every spec version, not only the latest')
    .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).default('bundle'))
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .action(async (collection: string, opts: { config?: string; type?: string[]; addedAfter?: string; allVersions?: boolean; format: ExportFormat; output?: string }) => {
      const config = loadOperatorConfig(opts.config, process.stderr);
      if (config === undefined) return setExitCode(EXIT_CONFIG);
      const result = await runExport(
        { config, collection, types: opts.type, addedAfter: opts.addedAfter, allVersions: opts.allVersions === true, format: opts.format, output: opts.output },
        { stdout: process.stdout, err: process.stderr },
      );
      setExitCode(result.exitCode);
    });
}
