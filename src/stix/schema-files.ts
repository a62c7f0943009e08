/**
 * Finds and reads Taxiway's STIX JSON Schemas (`schemas/stix/**.json`). They are data files beside the
 * code, so the lookup walks up from this module until it finds them; that works from `src/` under ts-jest
 * and from `dist/src/` after a build.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface SchemaFile {
  /** Path relative to `schemas/stix`, with forward slashes, e.g. `sdo/indicator.json`. */
  relativePath: string;
  schema: Record<string, unknown>;
}

export function findSchemaDirectory(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, 'schemas', 'stix');
    if (fs.existsSync(path.join(candidate, 'bundle.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`schemas/stix not found above ${start}`);
    dir = parent;
  }
}

export function readSchemaFiles(directory: string = findSchemaDirectory()): SchemaFile[] {
  const files: SchemaFile[] = [];
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.json')) {
        const relativePath = path.relative(directory, full).split(path.sep).join('/');
        files.push({ relativePath, schema: JSON.parse(fs.readFileSync(full, 'utf8')) as Record<string, unknown> });
      }
    }
  };
  visit(directory);
  return files;
}
