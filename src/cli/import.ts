/**
 * `taxiway import COLLECTION FILE…`: loads STIX bundles, TAXII envelopes, JSON arrays or NDJSON
 * of any size into a collection, through the ingest service a TAXII push uses (same validation
 * under the collection's policy and media types, same size limit, same ownership rule, new
 * date_added values). Objects are read as a stream and stored a slice at a time, and the file is
 * not read further while a slice is being stored, so memory stays flat whatever the file size.
 * Objects already stored are reported as such and not stored twice, so a re-run is harmless.
 * No status resource is saved: the summary (and `--failures`) is the report.
 */
import type { Command } from 'commander';
import { systemClock } from '../clock';
import type { CollectionConfig, TaxiwayConfig } from '../config/types';
import { IngestService, SLICE_OBJECTS, type IngestTarget, type ObjectResult } from '../services/ingest';
import { createStixValidator, type StixValidator } from '../stix/validator';
import type { Store, Writer } from '../store/store';
import { collectionLabel, isResolved, resolveCollection } from './collection-ref';
import { EXIT_CONFIG, EXIT_FAILED, EXIT_OK } from './exit-codes';
import { FailureLog } from './failure-log';
import { ImportProgress, type ProgressCounts, type ProgressMode } from './import-progress';
import { ImportTally } from './import-tally';
import { importWriter } from './import-writer';
import { MalformedInput, openStixInput, UnreadableInput, type InputObject, type StixInput } from './input';
import { loadOperatorConfig, withConfiguredStore } from './operator-store';

export interface ImportOptions {
  config: TaxiwayConfig;
  /** COLLECTION as given: an id, ROOT/ALIAS or ROOT/ID. */
  collection: string;
  files: readonly string[];
  /** Import as this configured user (ownership applies); otherwise as nobody. */
  as?: string;
  /** Write one JSON line per failed object here. */
  failures?: string;
  progress: ProgressMode;
  /** Between plain progress lines (tests shorten it). */
  progressIntervalMs?: number;
  /** The STIX validator; built here when not given (building one compiles every schema, so tests share one). */
  validator?: StixValidator;
}

export interface ImportIo {
  /** The summary. */
  out: NodeJS.WritableStream;
  /** Progress and problems. */
  err: NodeJS.WritableStream;
}

export interface ImportReport {
  exitCode: number;
  /** Undefined when the import never started (usage or configuration problems). */
  tally?: ImportTally;
}

export async function runImport(options: ImportOptions, io: ImportIo): Promise<ImportReport> {
  const prepared = await prepare(options, io);
  if (!('inputs' in prepared)) return prepared;
  const { collection, inputs, failures } = prepared;
  const tally = new ImportTally();
  const started = performance.now();
  let ran = false;
  try {
    const exitCode = await withConfiguredStore(options.config, io.err, EXIT_FAILED, async (store) => {
      ran = true;
      const importer = new FileImporter(ingestServiceFor(options, store), { collection, apiRoot: collection.api_root, writer: prepared.writer }, tally, failures);
      const progress = new ImportProgress({ mode: options.progress, out: io.err, totalBytes: inputs.reduce((sum, i) => sum + i.size, 0), intervalMs: options.progressIntervalMs });
      await importAll(inputs, importer, progress, tally);
      return tally.clean ? EXIT_OK : EXIT_FAILED;
    });
    if (!ran) return { exitCode };
    io.out.write(tally.summary(`${collectionLabel(collection)} (${collection.id})`, inputs.length, (performance.now() - started) / 1000));
    if (options.failures !== undefined && tally.failed > 0) io.out.write(`failures written to ${options.failures}\n`);
    return { exitCode, tally };
  } finally {
    await failures?.close();
  }
}

interface Prepared {
  collection: CollectionConfig;
  writer: Writer;
  inputs: StixInput[];
  failures?: FailureLog;
}

/** Everything that can be wrong with the command line, found before the store is touched. */
async function prepare(options: ImportOptions, io: ImportIo): Promise<Prepared | ImportReport> {
  const collection = resolveCollection(options.config, options.collection);
  if (!isResolved(collection)) return usageError(io, collection.error);
  const writer = importWriter(options.config, collection, options.as);
  if ('error' in writer) return usageError(io, writer.error);
  const inputs: StixInput[] = [];
  try {
    // Every file is opened before anything is stored: a typo in the last name should not leave half an import.
    for (const file of options.files) inputs.push(await openStixInput(file));
  } catch (error) {
    if (error instanceof UnreadableInput) return usageError(io, error.message);
    throw error;
  }
  if (options.failures === undefined) return { collection, writer, inputs };
  try {
    return { collection, writer, inputs, failures: await FailureLog.create(options.failures) };
  } catch (error) {
    return usageError(io, `--failures ${options.failures}: ${(error as Error).message}`);
  }
}

/**
 * The files one after the other. A store failure (database gone, disk full) stops the import:
 * what was stored stays stored, and the summary says where it stopped; re-running continues.
 */
async function importAll(inputs: readonly StixInput[], importer: FileImporter, progress: ImportProgress, tally: ImportTally): Promise<void> {
  let bytesBefore = 0;
  const counts = (bytes: number): ProgressCounts => ({ bytes, objects: tally.objects, stored: tally.stored, duplicates: tally.duplicates, failed: tally.failed });
  try {
    for (const input of inputs) {
      await importer.importFile(input, () => progress.update(counts(bytesBefore + input.bytesRead())));
      bytesBefore += input.size;
    }
  } catch (error) {
    tally.stopped = error instanceof Error ? error.message : String(error);
  } finally {
    progress.stop(counts(bytesBefore));
  }
}

/** Built as the app builds it (src/app.ts), so an import checks exactly what a push checks. */
function ingestServiceFor(options: ImportOptions, store: Store): IngestService {
  const validator = options.validator ?? createStixValidator();
  return new IngestService({ store, validator, clock: systemClock, retentionHours: options.config.status.retention_hours });
}

function usageError(io: ImportIo, message: string): ImportReport {
  io.err.write(`${message}\n`);
  return { exitCode: EXIT_CONFIG };
}

/** Streams one file's objects into the collection, a slice at a time. */
class FileImporter {
  constructor(
    private readonly ingest: IngestService,
    private readonly target: IngestTarget,
    private readonly tally: ImportTally,
    private readonly failures: FailureLog | undefined,
  ) {}

  async importFile(input: StixInput, onProgress: () => void): Promise<void> {
    let batch: InputObject[] = [];
    let read = 0;
    try {
      for await (const item of input.objects()) {
        batch.push(item);
        read++;
        // The loop does not ask for the next object until this slice is stored: the stream waits.
        if (batch.length >= SLICE_OBJECTS) {
          await this.store(input.file, batch, onProgress);
          batch = [];
        }
      }
    } catch (error) {
      if (!(error instanceof MalformedInput)) throw error;
      // What was read before the problem is good: store it, then report where the file broke.
      await this.store(input.file, batch, onProgress);
      this.tally.malformed.push({ problem: error, objectsBefore: read });
      return;
    }
    await this.store(input.file, batch, onProgress);
    if (read === 0) this.tally.empty.push(input.file);
  }

  private async store(file: string, batch: readonly InputObject[], onProgress: () => void): Promise<void> {
    const values = batch.map((item) => item.value);
    // addSlice may stop early (it bounds the time spent preparing); go on until the batch is done.
    for (let start = 0; start < values.length; ) {
      const { results, next } = await this.ingest.addSlice(values, start, this.target, batch[0]?.index ?? 0);
      for (let i = 0; i < results.length; i++) await this.record(file, batch[start + i], results[i]);
      start = next;
      onProgress();
    }
  }

  private async record(file: string, item: InputObject, result: ObjectResult): Promise<void> {
    this.tally.record(result);
    if (result.kind !== 'failed' || this.failures === undefined) return;
    await this.failures.write({
      file,
      index: item.index,
      ...(item.line !== undefined ? { line: item.line } : {}),
      id: idOf(item.value, result.detail.id),
      version: result.detail.version,
      reason: result.reason,
      message: result.detail.message ?? result.reason,
    });
  }
}

/** The object's id as the status shows it, or null where the service put a placeholder (`objects[i]`). */
function idOf(value: unknown, shown: string): string | null {
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id === shown ? id : null;
}

export function register(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('import')
    .description('load STIX bundles, TAXII envelopes, JSON arrays or NDJSON into a collection, validated as a push (exit 1 when objects failed)')
    .argument('<collection>', 'collection id, ROOT/ALIAS or ROOT/ID')
    .argument('<files...>', 'input files')
    .option('-c, --config <file>', 'YAML configuration (default: $TAXIWAY_CONFIG, else config/taxiway.yaml)')
    .option('--as <user>', 'import as this configured user: they own what they add first, and ownership applies as for their pushes')
    .option('--failures <file>', 'write one JSON line per failed object to this file')
    .option('--no-progress', 'no progress bar or progress lines')
    .action(async (collection: string, files: string[], opts: { config?: string; as?: string; failures?: string; progress: boolean }) => {
      const config = loadOperatorConfig(opts.config, process.stderr);
      if (config === undefined) return setExitCode(EXIT_CONFIG);
      const progress: ProgressMode = !opts.progress ? 'none' : process.stderr.isTTY === true ? 'bar' : 'lines';
      const report = await runImport({ config, collection, files, as: opts.as, failures: opts.failures, progress }, { out: process.stdout, err: process.stderr });
      setExitCode(report.exitCode);
    });
}

