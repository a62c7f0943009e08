/**
 * The two shapes `taxiway export` writes. Stored objects are written as the exact JSON text the
 * store holds, never re-serialised, so an export re-imported elsewhere is byte-for-byte the same.
 *
 * - `bundle`: a STIX 2.1 bundle with a fresh id, one object per line (still one JSON document,
 *   but diffable and greppable). An export with no objects is a bundle without `objects`: STIX
 *   does not allow an empty list.
 * - `ndjson`: one object per line.
 */
import { randomUUID } from 'node:crypto';

export const EXPORT_FORMATS = ['bundle', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFraming {
  /** Text for a page of objects (the first call gets the first page). */
  page(jsons: readonly string[]): string;
  /** Text that ends the output. */
  end(): string;
}

export function framing(format: ExportFormat): ExportFraming {
  return format === 'ndjson' ? ndjson() : bundle();
}

function ndjson(): ExportFraming {
  return {
    page: (jsons) => (jsons.length === 0 ? '' : `${jsons.join('\n')}\n`),
    end: () => '',
  };
}

function bundle(): ExportFraming {
  const head = `{"type":"bundle","id":"bundle--${randomUUID()}"`;
  let opened = false;
  return {
    page(jsons) {
      if (jsons.length === 0) return '';
      const text = `${opened ? ',\n' : `${head},"objects":[\n`}${jsons.join(',\n')}`;
      opened = true;
      return text;
    },
    end: () => (opened ? '\n]}\n' : `${head}}\n`),
  };
}
