/**
 * Edits a YAML configuration file in place for `taxiway user` and `taxiway key`, keeping every byte
 * it does not need to change: comments, blank lines, quoting and flow style elsewhere in the file.
 * The `yaml` library's own output re-formats the whole file, so edits are made as text splices at
 * the positions the parsed document gives. Each edit is mirrored on a plain model of the file; the
 * result is written only when it parses back to exactly that model and passes the same checks as
 * `taxiway config check`. The write is atomic (temporary file, then rename) and keeps the mode.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fchownSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, parse, parseDocument, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { ConfigError } from '../config/errors';
import { formatPath, parseConfigText } from '../config/load';
import { EXIT_CONFIG } from './exit-codes';
import { readStdin } from './stdin';

export const CONFIG_OPTION = ['-c, --config <file>', 'YAML configuration (default: $TAXIWAY_CONFIG, else config/taxiway.yaml)'] as const;

/** A refused edit: the message says why; the file was not touched. */
export class EditError extends Error {
  override readonly name = 'EditError';
}

type Path = (string | number)[];
type Model = Record<string, unknown>;

interface Splice {
  start: number;
  end: number;
  text: string;
}

/**
 * Simple words stay plain when YAML reads them back as the same string (YAML 1.1's yes/no/on/off
 * are quoted too, for older readers); anything else is written as a JSON (double-quoted YAML) string.
 */
function scalarText(value: string | boolean | number): string {
  if (typeof value !== 'string') return String(value);
  const plain = /^[A-Za-z0-9_][A-Za-z0-9._@-]*$/.test(value) && parse(value) === value && !/^(yes|no|on|off|y|n)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

function isScalarValue(value: unknown): value is string | boolean | number {
  return typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number';
}

function flowText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flowText).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return `{ ${Object.entries(value).map(([k, v]) => `${scalarText(k)}: ${flowText(v)}`).join(', ')} }`;
  if (isScalarValue(value)) return scalarText(value);
  throw new EditError(`cannot write ${String(value)}`);
}

/** `key: value` lines at `indent`; lists of scalars in flow style (as the example configuration has them). */
function pairLines(key: string, value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'object' && v !== null)) {
    return [`${pad}${scalarText(key)}:`, ...value.flatMap((item) => itemLines(item, indent + 2))];
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return [`${pad}${scalarText(key)}:`, ...Object.entries(value).flatMap(([k, v]) => pairLines(k, v, indent + 2))];
  }
  return [`${pad}${scalarText(key)}: ${flowText(value)}`];
}

/** A block sequence item at `indent` (the column of its `-`). */
function itemLines(value: unknown, indent: number): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${' '.repeat(indent)}- ${flowText(value)}`];
  const lines = Object.entries(value).flatMap(([k, v]) => pairLines(k, v, indent + 2));
  return [`${' '.repeat(indent)}- ${lines[0].trimStart()}`, ...lines.slice(1)];
}

function range(node: Node | null | undefined): [number, number] {
  const r = node?.range;
  if (!r) throw new EditError('the file has a node without a position (edit it by hand)');
  return [r[0], r[1]];
}

export class ConfigEdit {
  private readonly splices: Splice[] = [];
  /** The file's content as it will be after the edits, as plain data. */
  readonly model: Model;

  private constructor(
    readonly file: string,
    private readonly text: string,
    private readonly doc: Document.Parsed,
  ) {
    const model: unknown = doc.toJS();
    if (typeof model !== 'object' || model === null || Array.isArray(model)) throw new EditError(`${file} is not a YAML mapping`);
    this.model = model as Model;
  }

  /** Reads the file (through symlinks, so the rename replaces the real file). */
  static open(file: string): ConfigEdit {
    let real: string;
    let text: string;
    try {
      real = realpathSync(file);
      text = readFileSync(real, 'utf8');
    } catch (err) {
      throw new EditError(`cannot read ${file}: ${(err as Error).message}`);
    }
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length > 0) throw new EditError(`${file} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
    return new ConfigEdit(real, text, doc);
  }

  /** Sets a scalar in the mapping at `mapPath`, adding the key when it is missing. */
  setScalar(mapPath: Path, key: string, value: string | boolean): void {
    const map = this.mapAt(mapPath);
    const pair = this.pairIn(map, key);
    if (pair && isScalar(pair.value)) this.replace(range(pair.value), scalarText(value));
    else if (pair) throw new EditError(`${formatPath([...mapPath, key])} is not a single value (edit it by hand)`);
    else this.addPair(map, mapPath, key, value);
    this.modelMap(mapPath)[key] = value;
  }

  /** Appends to the list `key` of the mapping at `mapPath`, creating the list when it is missing or empty. */
  append(mapPath: Path, key: string, value: unknown): void {
    const map = this.mapAt(mapPath);
    const pair = this.pairIn(map, key);
    const list = pair?.value;
    const current = this.modelMap(mapPath)[key];
    const next = [...(Array.isArray(current) ? current : []), value];
    if (!pair) this.addPair(map, mapPath, key, next);
    else if (isSeq(list) && !list.flow && list.items.length > 0) {
      const last = list.items[list.items.length - 1] as Node;
      this.insertLines(this.lineEnd(range(last)[1]), itemLines(value, this.column(range(list)[0])));
    } else if (!map.flow && ((isSeq(list) && list.items.length === 0) || (isScalar(list) && list.value === null))) {
      // `users: []` or `users:` becomes a block list, as a hand-written file would have it.
      this.replaceValue(pair, next);
    } else if (isSeq(list)) this.replace(range(list), flowText(next));
    else throw new EditError(`${formatPath([...mapPath, key])} is not a list`);
    this.modelMap(mapPath)[key] = next;
  }

  /** Removes every item of the list `key` of the mapping at `mapPath` that `matches`; returns how many. */
  removeItems(mapPath: Path, key: string, matches: (item: unknown) => boolean): number {
    const map = this.mapAt(mapPath);
    const pair = this.pairIn(map, key);
    const current = this.modelMap(mapPath)[key];
    if (!pair || !isSeq(pair.value) || !Array.isArray(current)) return 0;
    const list = pair.value as YAMLSeq;
    const doomed = current.map((item, i) => (matches(item) ? i : -1)).filter((i) => i >= 0);
    if (doomed.length === 0) return 0;
    const kept = current.filter((_item, i) => !doomed.includes(i));
    if (list.flow) this.replace(range(list), flowText(kept));
    else if (kept.length === 0) {
      const last = list.items[list.items.length - 1] as Node;
      this.splices.push({ start: range(pair.key as Node)[1], end: this.lineEnd(range(last)[1]), text: ': []\n' });
    } else {
      for (const i of doomed) {
        const item = list.items[i] as Node;
        this.splices.push({ start: this.lineStart(this.dashOf(item)), end: this.lineEnd(range(item)[1]), text: '' });
      }
    }
    this.modelMap(mapPath)[key] = kept;
    return doomed.length;
  }

  /** The new content of the file. */
  result(): string {
    // Back to front, so earlier positions stay valid; of two insertions at one place, the later
    // goes in first and so ends up after the earlier one, as the model has them.
    const ordered = this.splices.map((s, i) => ({ ...s, i })).sort((a, b) => b.start - a.start || b.i - a.i);
    let text = this.text;
    let limit = Infinity;
    for (const s of ordered) {
      if (s.end > limit) throw new EditError('overlapping edits (edit the file by hand)');
      text = text.slice(0, s.start) + s.text + text.slice(s.end);
      limit = s.start;
    }
    return text;
  }

  /**
   * Writes the result if it parses back to the model and passes `config check` (with `env`, as the
   * server would load it); otherwise throws EditError or ConfigError and leaves the file alone.
   */
  commit(env: NodeJS.ProcessEnv): void {
    const text = this.result();
    const reparsed: unknown = parseDocument(text).toJS();
    if (!isDeepStrictEqual(reparsed, this.model)) throw new EditError(`could not edit ${this.file} without changing more than intended (edit it by hand)`);
    parseConfigText(text, this.file, env);
    writeAtomically(this.file, text, this.text);
  }

  private mapAt(mapPath: Path): YAMLMap {
    const node = mapPath.length === 0 ? this.doc.contents : this.doc.getIn(mapPath, true);
    if (!isMap(node)) throw new EditError(`${formatPath(mapPath) || 'the file'} is not a mapping`);
    return node;
  }

  private modelMap(mapPath: Path): Model {
    let node: unknown = this.model;
    for (const key of mapPath) node = (node as Record<string | number, unknown>)[key];
    return node as Model;
  }

  private pairIn(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
    return map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair<Node, Node | null> | undefined;
  }

  /** Adds `key: value` after the mapping's last entry, at its indentation. */
  private addPair(map: YAMLMap, mapPath: Path, key: string, value: unknown): void {
    if (map.flow || map.items.length === 0) {
      this.replace(range(map), flowText({ ...this.modelMap(mapPath), [key]: value }));
      return;
    }
    const first = map.items[0].key as Node;
    const last = map.items[map.items.length - 1];
    const end = range((last.value as Node | null) ?? (last.key as Node))[1];
    this.insertLines(this.lineEnd(end), pairLines(key, value, this.column(range(first)[0])));
  }

  /** Replaces an empty or null value with `next`, written in block style under its key. */
  private replaceValue(pair: Pair<Node, Node | null>, next: unknown[]): void {
    const keyColumn = this.column(range(pair.key)[0]);
    const lines = next.every((v) => typeof v === 'object' && v !== null) ? next.flatMap((item) => itemLines(item, keyColumn + 2)) : [];
    const end = this.lineEnd(range(pair.value)[1]);
    const text = lines.length > 0 ? `:\n${lines.join('\n')}\n` : `: ${flowText(next)}\n`;
    this.splices.push({ start: range(pair.key)[1], end, text });
  }

  private replace([start, end]: [number, number], text: string): void {
    this.splices.push({ start, end, text });
  }

  private insertLines(at: number, lines: string[]): void {
    const needsNewline = at > 0 && this.text[at - 1] !== '\n';
    this.splices.push({ start: at, end: at, text: `${needsNewline ? '\n' : ''}${lines.join('\n')}\n` });
  }

  private lineStart(pos: number): number {
    return this.text.lastIndexOf('\n', pos - 1) + 1;
  }

  /** The start of the line after the one `pos` ends (a node's end may already be there). */
  private lineEnd(pos: number): number {
    if (pos > 0 && this.text[pos - 1] === '\n') return pos;
    const newline = this.text.indexOf('\n', pos);
    return newline === -1 ? this.text.length : newline + 1;
  }

  private column(pos: number): number {
    return pos - this.lineStart(pos);
  }

  /** The `-` that introduces a block sequence item. */
  private dashOf(item: Node): number {
    let p = range(item)[0] - 1;
    while (p >= 0 && /\s/.test(this.text[p])) p--;
    if (this.text[p] !== '-') throw new EditError('cannot find where a list item starts (edit the file by hand)');
    return p;
  }
}

/**
 * Temporary file beside the target, same mode (and owner, when allowed), flushed, then renamed over
 * it: readers see the old file or the new one, never half of one. Refuses when the file changed since
 * it was read, rather than overwrite someone else's edit.
 */
function writeAtomically(file: string, text: string, expected: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const stat = statSync(file);
  const fd = openSync(temp, 'wx', stat.mode & 0o7777);
  try {
    try {
      writeSync(fd, text);
      // The mode given to open is filtered by the umask.
      fchmodSync(fd, stat.mode & 0o7777);
      try {
        fchownSync(fd, stat.uid, stat.gid);
      } catch {
        // Only root may give a file away; anyone else keeps the file as their own, as an editor would.
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (readFileSync(file, 'utf8') !== expected) throw new EditError(`${file} changed while it was being edited; nothing was written, try again`);
    renameSync(temp, file);
  } catch (err) {
    unlinkSync(temp);
    throw err;
  }
}

/** How the user and key commands talk to the operator (replaced in tests). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** A secret from a terminal prompt without echo, or else all of standard input; never argv. */
  readSecret(prompt: string): Promise<string>;
  /** Whether `readSecret` prompts (so a new password can be asked twice). */
  interactive: boolean;
  now(): Date;
}

/** Reads a line from the terminal with echo off: readline writes its echo to a stream that drops it. */
function promptHidden(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  return new Promise<string>((resolve, reject) => {
    rl.on('SIGINT', () => {
      rl.close();
      process.stderr.write('\n');
      reject(new EditError('cancelled'));
    });
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

export function processIo(): CliIo {
  const interactive = process.stdin.isTTY === true;
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    env: process.env,
    interactive,
    readSecret: async (prompt) => (interactive ? promptHidden(prompt) : (await readStdin()).replace(/\r?\n$/, '')),
    now: () => new Date(),
  };
}

/** Runs an edit command: refusals are reported on stderr with exit code 2, the file untouched. */
export async function runEdit(io: CliIo, setExitCode: (code: number) => void, edit: () => Promise<void> | void): Promise<void> {
  try {
    await edit();
  } catch (err) {
    if (err instanceof ConfigError) io.err(`refused, the file is unchanged: the result would not pass config check:\n${err.message}\n`);
    else if (err instanceof EditError) io.err(`refused, the file is unchanged: ${err.message}\n`);
    else throw err;
    setExitCode(EXIT_CONFIG);
  }
}
