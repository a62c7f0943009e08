/**
 * The content digest that decides whether two pushes of one id and version are the same object
 * (a duplicate, a success) or different ones (a conflict, refused).
 *
 * Two objects are the same exactly when their parsed JSON is equal (key order and white space do
 * not matter; numbers compare as numbers), except that the properties Taxiway's schemas type as
 * timestamps, in the object's type and its predefined extensions, compare as instants at full
 * precision: `…:37Z` equals `…:37.000Z`, but `…:37.0000001Z` differs from `…:37.0000002Z`.
 * Custom properties compare as written. Every key, `__proto__` included, is data: the canonical
 * text is written directly, never through a rebuilt object.
 */
import { createHash } from 'node:crypto';
import { classifyObject, isScoKind, PREDEFINED_EXTENSIONS } from './object-kinds';
import { buildTimestampShapes, type TimestampShape, type TimestampShapes } from './timestamp-shapes';

/** Bumped whenever the canonical form changes; stores re-digest what they hold (see their migrations). */
export const DIGEST_VERSION = 2;

const TIMESTAMP_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/;

/** A timestamp as an instant at the precision it was written with, trailing zeros dropped. */
function instant(text: string): string {
  const match = TIMESTAMP_RE.exec(text);
  if (!match) return JSON.stringify(text);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return `"${match[1]}${fraction === '' ? '' : `.${fraction}`}Z"`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Canonicalizer {
  private readonly parts: string[] = [];

  constructor(private readonly shapes: TimestampShapes) {}

  static text(value: Record<string, unknown>, shapes: TimestampShapes): string {
    const canonicalizer = new Canonicalizer(shapes);
    canonicalizer.object(value, rootShape(value, shapes), true);
    return canonicalizer.parts.join('');
  }

  private value(value: unknown, shape: TimestampShape | undefined): void {
    if (typeof value === 'string') this.parts.push(shape?.kind === 'timestamp' ? instant(value) : JSON.stringify(value));
    else if (Array.isArray(value)) {
      this.parts.push('[');
      const items = shape?.kind === 'container' ? shape.items : undefined;
      for (let i = 0; i < value.length; i++) {
        if (i > 0) this.parts.push(',');
        this.value(value[i], items);
      }
      this.parts.push(']');
    } else if (isRecord(value)) this.object(value, shape, false);
    else this.parts.push(JSON.stringify(value) ?? 'null');
  }

  private object(value: Record<string, unknown>, shape: TimestampShape | undefined, root: boolean): void {
    const container = shape?.kind === 'container' ? shape : undefined;
    this.parts.push('{');
    // Object.keys lists own keys, `__proto__` included when JSON.parse created it.
    const keys = Object.keys(value).sort();
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (i > 0) this.parts.push(',');
      this.parts.push(JSON.stringify(key), ':');
      const child = value[key];
      if (root && key === 'extensions' && isRecord(child)) this.extensions(child, container?.properties.get(key));
      else this.value(child, container?.properties.get(key) ?? container?.values);
    }
    this.parts.push('}');
  }

  /** Predefined SCO extensions have their own schemas; everything else follows the generic shape. */
  private extensions(value: Record<string, unknown>, shape: TimestampShape | undefined): void {
    const generic = shape?.kind === 'container' ? shape.values : undefined;
    this.parts.push('{');
    const keys = Object.keys(value).sort();
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (i > 0) this.parts.push(',');
      this.parts.push(JSON.stringify(key), ':');
      const own = PREDEFINED_EXTENSIONS.has(key) ? this.shapes.forExtension(key) : undefined;
      this.value(value[key], own ?? generic);
    }
    this.parts.push('}');
  }
}

function rootShape(object: Record<string, unknown>, shapes: TimestampShapes): TimestampShape | undefined {
  const type = typeof object.type === 'string' ? object.type : '';
  const own = shapes.forType(type);
  if (own !== undefined) return own;
  // Custom types: the common properties of their kind (created, modified...) are still timestamps.
  return shapes.forType(isScoKind(classifyObject(type, object, undefined)) ? '@sco-common' : '@sdo-common');
}

let defaultShapes: TimestampShapes | undefined;

/** The canonical text the digest is taken of (exposed for tests and diagnostics). */
export function canonicalText(object: Record<string, unknown>): string {
  defaultShapes ??= buildTimestampShapes();
  return Canonicalizer.text(object, defaultShapes);
}

/** The digest of a parsed STIX object (base64url SHA-256 of its canonical text). */
export function contentDigest(object: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalText(object)).digest('base64url');
}
