/**
 * Where the timestamps are in each STIX type: derived once from Taxiway's own schemas, by following
 * every `$ref` to `common/timestamp.json` or `common/timestamp-millis.json` through `properties`,
 * `items`, dictionaries (`additionalProperties`, `patternProperties`) and combinators. The content
 * digest compares values at these places as instants and everything else exactly as parsed.
 */
import { readSchemaFiles, type SchemaFile } from './schema-files';
import { SCHEMA_BASE } from './schema-registry';

/** A position in an object: a timestamp, or a container with timestamps somewhere inside. */
export type TimestampShape =
  | { kind: 'timestamp' }
  | {
      kind: 'container';
      properties: Map<string, TimestampShape>;
      /** Shape of every array item. */
      items?: TimestampShape;
      /** Shape of dictionary values not named in `properties`. */
      values?: TimestampShape;
    };

const TIMESTAMP_SCHEMAS = new Set([`${SCHEMA_BASE}common/timestamp.json`, `${SCHEMA_BASE}common/timestamp-millis.json`]);

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function emptyContainer(): Extract<TimestampShape, { kind: 'container' }> {
  return { kind: 'container', properties: new Map() };
}

/** Merges `b` into `a` (a position is a timestamp if any branch says so). */
function merge(a: TimestampShape | undefined, b: TimestampShape | undefined): TimestampShape | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.kind === 'timestamp' || b.kind === 'timestamp') return { kind: 'timestamp' };
  const out = emptyContainer();
  for (const [name, shape] of a.properties) out.properties.set(name, shape);
  for (const [name, shape] of b.properties) out.properties.set(name, merge(out.properties.get(name), shape) as TimestampShape);
  const items = merge(a.items, b.items);
  const values = merge(a.values, b.values);
  if (items) out.items = items;
  if (values) out.values = values;
  return out;
}

/** Drops containers with no timestamp inside, so the digest walks only where it must. */
function prune(shape: TimestampShape | undefined): TimestampShape | undefined {
  if (shape === undefined || shape.kind === 'timestamp') return shape;
  const out = emptyContainer();
  for (const [name, child] of shape.properties) {
    const kept = prune(child);
    if (kept) out.properties.set(name, kept);
  }
  const items = prune(shape.items);
  const values = prune(shape.values);
  if (items) out.items = items;
  if (values) out.values = values;
  return out.properties.size > 0 || items || values ? out : undefined;
}

class ShapeBuilder {
  private readonly byId = new Map<string, Json>();
  private readonly cache = new Map<string, TimestampShape | undefined>();
  private readonly building = new Set<string>();

  constructor(files: readonly SchemaFile[]) {
    for (const file of files) this.byId.set(SCHEMA_BASE + file.relativePath, file.schema);
  }

  forFile(relativePath: string): TimestampShape | undefined {
    return prune(this.resolve(SCHEMA_BASE + relativePath));
  }

  private resolve(id: string): TimestampShape | undefined {
    if (TIMESTAMP_SCHEMAS.has(id)) return { kind: 'timestamp' };
    if (this.cache.has(id)) return this.cache.get(id);
    // A recursive schema contributes nothing more on its second visit.
    if (this.building.has(id)) return undefined;
    const schema = this.byId.get(id);
    if (schema === undefined) return undefined;
    this.building.add(id);
    const shape = this.walk(schema, id);
    this.building.delete(id);
    this.cache.set(id, shape);
    return shape;
  }

  private walk(schema: Json, base: string): TimestampShape | undefined {
    let shape: TimestampShape | undefined;
    if (typeof schema.$ref === 'string') shape = merge(shape, this.resolve(new URL(schema.$ref, base).href));
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      const parts = schema[keyword];
      if (Array.isArray(parts)) for (const part of parts) if (isRecord(part)) shape = merge(shape, this.walk(part, base));
    }
    for (const keyword of ['then', 'else'] as const) {
      const part = schema[keyword];
      if (isRecord(part)) shape = merge(shape, this.walk(part, base));
    }
    const container = emptyContainer();
    if (isRecord(schema.properties)) {
      for (const [name, child] of Object.entries(schema.properties)) {
        if (!isRecord(child)) continue;
        const childShape = this.walk(child, base);
        if (childShape) container.properties.set(name, childShape);
      }
    }
    if (isRecord(schema.items)) container.items = this.walk(schema.items, base);
    let values: TimestampShape | undefined;
    if (isRecord(schema.additionalProperties)) values = this.walk(schema.additionalProperties, base);
    if (isRecord(schema.patternProperties)) {
      for (const child of Object.values(schema.patternProperties)) if (isRecord(child)) values = merge(values, this.walk(child, base));
    }
    if (values) container.values = values;
    return merge(shape, container);
  }
}

export interface TimestampShapes {
  /** The shape of a built-in type, of `@sdo-common`/`@sco-common` (custom types), or undefined. */
  forType(type: string): TimestampShape | undefined;
  /** The shape of a predefined SCO extension such as `ntfs-ext`. */
  forExtension(name: string): TimestampShape | undefined;
}

export function buildTimestampShapes(files: readonly SchemaFile[] = readSchemaFiles()): TimestampShapes {
  const builder = new ShapeBuilder(files);
  const types = new Map<string, TimestampShape | undefined>();
  const extensions = new Map<string, TimestampShape | undefined>();
  for (const file of files) {
    const match = /^(?:sdo|sro|sco|meta)\/([a-z0-9-]+)\.json$|^sco\/extensions\/([a-z0-9-]+)\.json$/.exec(file.relativePath);
    if (!match) continue;
    if (match[1] !== undefined) types.set(match[1], builder.forFile(file.relativePath));
    else extensions.set(match[2], builder.forFile(file.relativePath));
  }
  types.set('@sdo-common', builder.forFile('common/sdo-common.json'));
  types.set('@sco-common', builder.forFile('common/sco-common.json'));
  return { forType: (type) => types.get(type), forExtension: (name) => extensions.get(name) };
}
