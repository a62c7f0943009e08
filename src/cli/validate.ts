/**
 * `taxiway validate FILE…`: validates STIX bundles, envelopes (`{"objects": [...]}`), JSON arrays of
 * objects, or single objects, offline, with the same validator the server runs on pushes. Files whose
 * top level is an array or an object with `objects` are streamed (stream-json), so a large bundle is never
 * held in memory; a file without an `objects` list is read as one object.
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/Pick';
import { streamArray } from 'stream-json/streamers/StreamArray';
import { createStixValidator, formatIssues, type StixValidator, type ValidationOptions, type ValidationPolicy, type ValidationResult } from '../stix/validator';

export interface ValidateCliOptions {
  json: boolean;
  policy: ValidationPolicy;
  acceptStix20: boolean;
}

export const EXIT_VALID = 0;
export const EXIT_INVALID = 1;
export const EXIT_UNREADABLE = 2;

interface FileSummary {
  objects: number;
  failed: number;
}

class UnreadableInput extends Error {}

/** First significant character of a file (skipping a BOM and white space), or '' when it is empty. */
async function firstCharacter(file: string): Promise<string> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '');
    const match = /\S/.exec(text);
    return match ? match[0] : '';
  } finally {
    await handle.close();
  }
}

/** Streams the items of the top-level array (`root`) or of the top-level `objects` list. */
async function* streamItems(file: string, root: boolean): AsyncGenerator<{ index: number; value: unknown }> {
  const stages = root
    ? pipeline(fs.createReadStream(file), parser(), streamArray(), () => undefined)
    : pipeline(fs.createReadStream(file), parser(), pick({ filter: 'objects' }), streamArray(), () => undefined);
  try {
    for await (const item of stages as AsyncIterable<{ key: number; value: unknown }>) yield { index: item.key, value: item.value };
  } catch (error) {
    throw new UnreadableInput(error instanceof Error ? error.message : String(error));
  }
}

function describeObject(value: unknown, index: number | undefined): string {
  const where = index === undefined ? '' : `[${index}] `;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const id = (value as Record<string, unknown>).id;
    if (typeof id === 'string') return `${where}${id}`;
  }
  return `${where}(no id)`;
}

class FileValidator {
  readonly summary: FileSummary = { objects: 0, failed: 0 };

  constructor(
    private readonly file: string,
    private readonly validator: StixValidator,
    private readonly options: ValidateCliOptions,
    private readonly out: NodeJS.WritableStream,
  ) {}

  check(value: unknown, index: number | undefined): void {
    const validation: ValidationOptions = { policy: this.options.policy, acceptStix20: this.options.acceptStix20 };
    const result = this.validator.validate(value, validation);
    this.summary.objects++;
    if (!result.valid) {
      this.summary.failed++;
      this.report(value, index, result);
    }
  }

  private report(value: unknown, index: number | undefined, result: ValidationResult): void {
    if (this.options.json) {
      const id = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).id : undefined;
      this.out.write(`${JSON.stringify({ file: this.file, index: index ?? null, id: typeof id === 'string' ? id : null, errors: result.errors, warnings: result.warnings })}\n`);
    } else {
      this.out.write(`${this.file}: ${describeObject(value, index)}: ${formatIssues(result.errors)}\n`);
    }
  }
}

async function validateFile(file: string, validator: StixValidator, options: ValidateCliOptions, out: NodeJS.WritableStream): Promise<FileSummary> {
  const checker = new FileValidator(file, validator, options, out);
  let first: string;
  try {
    first = await firstCharacter(file);
  } catch (error) {
    throw new UnreadableInput(error instanceof Error ? error.message : String(error));
  }
  if (first === '[') {
    for await (const { index, value } of streamItems(file, true)) checker.check(value, index);
    return checker.summary;
  }
  if (first !== '{') throw new UnreadableInput(first === '' ? 'empty file' : `not JSON (starts with ${JSON.stringify(first)})`);
  let streamed = 0;
  try {
    for await (const { index, value } of streamItems(file, false)) {
      streamed++;
      checker.check(value, index);
    }
  } catch (error) {
    // A single object whose own `objects` is not a list (observed-data's deprecated dictionary)
    // cannot be streamed as an envelope; it is read whole below. Broken JSON fails there too.
    if (!(error instanceof UnreadableInput) || streamed > 0) throw error;
  }
  if (streamed > 0) return checker.summary;
  // No objects were streamed: a single object, or a bundle/envelope with an empty list.
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.promises.readFile(file, 'utf8')) as unknown;
  } catch (error) {
    throw new UnreadableInput(error instanceof Error ? error.message : String(error));
  }
  const isEnvelope = typeof parsed === 'object' && parsed !== null && 'objects' in parsed && (parsed as { type?: unknown }).type !== 'bundle';
  // A bundle is checked itself (its schema refuses an empty objects list); an empty envelope has nothing to check.
  if (!isEnvelope) checker.check(parsed, undefined);
  return checker.summary;
}

/**
 * Validates each file; writes a line per failing object (or a JSON line with --json) to `out`.
 * Returns 0 when everything is valid, 1 when an object failed, 2 when an input could not be read.
 */
export async function runValidate(files: readonly string[], options: ValidateCliOptions, out: NodeJS.WritableStream): Promise<number> {
  const validator = createStixValidator();
  let exit = EXIT_VALID;
  for (const file of files) {
    try {
      const summary = await validateFile(file, validator, options, out);
      if (summary.failed > 0 && exit === EXIT_VALID) exit = EXIT_INVALID;
      if (!options.json) out.write(`${file}: ${summary.objects} object(s) checked, ${summary.failed} invalid\n`);
    } catch (error) {
      if (!(error instanceof UnreadableInput)) throw error;
      exit = EXIT_UNREADABLE;
      if (options.json) out.write(`${JSON.stringify({ file, unreadable: error.message })}\n`);
      else out.write(`${file}: unreadable: ${error.message}\n`);
    }
  }
  return exit;
}
