import { readFileSync, accessSync, constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { ErrorObject } from 'ajv';
import { applyOverride, collectEnvOverrides, type EnvOverride } from './env';
import { ConfigError, type ConfigProblem } from './errors';
import { configValidator, describeSchemaError, errorPath } from './schema';
import { checkSemantics } from './semantics';
import type { TaxiwayConfig } from './types';

export const DEFAULT_CONFIG_PATH = 'config/taxiway.yaml';

/** Where the config file is: `--config`, else `TAXIWAY_CONFIG`, else `config/taxiway.yaml`. */
export function resolveConfigPath(cliPath: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(cliPath ?? env.TAXIWAY_CONFIG ?? DEFAULT_CONFIG_PATH);
}

export function formatPath(segments: readonly (string | number)[]): string {
  return segments.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
}

interface Located {
  source: string;
  doc?: Document;
  lines?: LineCounter;
  overrides: readonly EnvOverride[];
}

function isPrefix(prefix: readonly (string | number)[], full: readonly (string | number)[]): boolean {
  return prefix.length <= full.length && prefix.every((p, i) => p === full[i]);
}

/** Finds the file position (or environment variable) behind a config path. */
function locate(where: Located, segments: (string | number)[]): Omit<ConfigProblem, 'message'> {
  const override = [...where.overrides].reverse().find((o) => isPrefix(o.path, segments) || isPrefix(segments, o.path));
  if (override) return { source: `environment variable ${override.variable}`, path: formatPath(segments) };
  if (where.doc && where.lines) {
    // Walk down as far as the document goes, so a missing key points at its parent.
    for (let n = segments.length; n >= 0; n--) {
      const node = where.doc.getIn(segments.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      const pair = n > 0 ? keyNode(where.doc, segments.slice(0, n)) : undefined;
      const offset = pair?.range?.[0] ?? node?.range?.[0];
      if (offset !== undefined) {
        const pos = where.lines.linePos(offset);
        return { source: where.source, path: formatPath(segments), line: pos.line, column: pos.col };
      }
    }
  }
  return { source: where.source, path: formatPath(segments) };
}

/** The key node of the last segment, so unknown keys point at the key itself. */
function keyNode(doc: Document, segments: (string | number)[]): { range?: [number, number, number] } | undefined {
  const parent = segments.length > 1 ? doc.getIn(segments.slice(0, -1), true) : doc.contents;
  const last = segments[segments.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === last);
    return (pair?.key as { range?: [number, number, number] } | undefined) ?? undefined;
  }
  if (isSeq(parent) && typeof last === 'number') return parent.items[last] as { range?: [number, number, number] } | undefined;
  return undefined;
}

function resolveRelative(config: TaxiwayConfig, baseDir: string): void {
  const abs = (p: string): string => (path.isAbsolute(p) || p === ':memory:' ? p : path.resolve(baseDir, p));
  config.store.sqlite.path = abs(config.store.sqlite.path);
  if (config.server.tls) {
    config.server.tls.cert = abs(config.server.tls.cert);
    config.server.tls.key = abs(config.server.tls.key);
    if (config.server.tls.ca) config.server.tls.ca = abs(config.server.tls.ca);
  }
  const mongo = config.store.mongodb;
  if (mongo?.tls_ca_file) mongo.tls_ca_file = abs(mongo.tls_ca_file);
  if (mongo?.tls_certificate_key_file) mongo.tls_certificate_key_file = abs(mongo.tls_certificate_key_file);
}

function checkFilesReadable(config: TaxiwayConfig): { path: (string | number)[]; message: string }[] {
  const files: [(string | number)[], string | undefined][] = [
    [['server', 'tls', 'cert'], config.server.tls?.cert],
    [['server', 'tls', 'key'], config.server.tls?.key],
    [['server', 'tls', 'ca'], config.server.tls?.ca],
    [['store', 'mongodb', 'tls_ca_file'], config.store.mongodb?.tls_ca_file],
    [['store', 'mongodb', 'tls_certificate_key_file'], config.store.mongodb?.tls_certificate_key_file],
  ];
  const problems: { path: (string | number)[]; message: string }[] = [];
  for (const [p, file] of files) {
    if (!file) continue;
    try {
      accessSync(file, fsConstants.R_OK);
    } catch {
      problems.push({ path: p, message: `file ${file} cannot be read` });
    }
  }
  return problems;
}

export interface BuildOptions {
  /** Name shown in problems: the file path, or e.g. 'inline config'. */
  source?: string;
  env?: NodeJS.ProcessEnv;
  /** Relative paths are resolved against this folder (the config file's). */
  baseDir?: string;
  /** Check that TLS and CA files exist (off for configs built in memory by tests). */
  checkFiles?: boolean;
  doc?: Document;
  lines?: LineCounter;
}

/**
 * Validates a raw configuration object (already parsed from YAML or built in memory), applies
 * environment overrides and defaults, and returns the frozen result. Throws ConfigError listing
 * every problem.
 */
export function buildConfig(raw: unknown, options: BuildOptions = {}): TaxiwayConfig {
  const source = options.source ?? 'inline config';
  const env = options.env ?? {};
  const where: Located = { source, doc: options.doc, lines: options.lines, overrides: [] };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError([{ source, path: '', message: 'the configuration must be a YAML mapping' }]);
  }
  const data = structuredClone(raw) as Record<string, unknown>;
  const users = Array.isArray(data.users) ? data.users : [];
  const userNames = users.map((u) => (typeof u === 'object' && u !== null ? String((u as { name?: unknown }).name ?? '') : ''));
  const overrides = collectEnvOverrides(env, userNames);
  where.overrides = overrides;
  for (const o of overrides) applyOverride(data, o);

  const validate = configValidator();
  if (!validate(data)) {
    const errors = (validate.errors ?? []).filter(notNoise);
    throw new ConfigError(errors.map((e) => ({ ...locate(where, errorPath(e)), message: describeSchemaError(e) })));
  }
  const config = data as unknown as TaxiwayConfig;
  resolveRelative(config, options.baseDir ?? process.cwd());
  const semantic = [...checkSemantics(config), ...(options.checkFiles ? checkFilesReadable(config) : [])];
  if (semantic.length > 0) {
    throw new ConfigError(semantic.map((p) => ({ ...locate(where, p.path), message: p.message })));
  }
  return deepFreeze(config);
}

/** `oneOf` reports a summary error plus one per branch; keep the summary only. */
function notNoise(e: ErrorObject, _i: number, all: ErrorObject[]): boolean {
  const underOneOf = all.some((o) => o.keyword === 'oneOf' && e !== o && e.schemaPath.startsWith(o.schemaPath.replace(/\/oneOf$/, '/oneOf/')));
  return !underOneOf;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Reads, parses and validates a YAML config file. Throws ConfigError with file:line for each problem. */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): TaxiwayConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ source: file, path: '', message: `cannot read the file: ${(err as Error).message}` }]);
  }
  return parseConfigText(text, file, env);
}

export function parseConfigText(text: string, file: string, env: NodeJS.ProcessEnv = {}): TaxiwayConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      return { source: file, path: '', line: pos.line, column: pos.col, message: `YAML syntax: ${e.message.split('\n')[0]}` };
    }));
  }
  const raw: unknown = doc.toJS() ?? {};
  return buildConfig(raw, { source: file, env, baseDir: path.dirname(path.resolve(file)), checkFiles: true, doc, lines });
}
