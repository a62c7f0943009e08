/**
 * The layers of Taxiway, top to bottom: cli → server → app → http → services → store and auth →
 * stix, config (with the clock and logging). A module may import from its own floor or any floor
 * below it, never from a floor above: this test reads every import in src/ and fails on one that
 * runs back up.
 */
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '..', '..', 'src');

/** Floor of a module, by its path under src/ (higher imports lower). */
function floorOf(relative: string): number {
  const [first] = relative.split('/');
  // Imports name modules without their extension, and folders by their index.
  const top = relative.includes('/') || fs.existsSync(path.join(SRC, first)) ? first : `${first}.ts`;
  switch (top) {
    case 'cli':
      return 6;
    case 'server.ts':
    case 'cluster':
      return 5;
    case 'app.ts':
      return 4;
    case 'http':
    case 'console':
      return 3;
    case 'services':
    case 'metrics':
      return 2;
    case 'store':
    case 'auth':
      return 1;
    case 'stix':
    case 'config':
    case 'clock.ts':
    case 'logging.ts':
      return 0;
    default:
      throw new Error(`src/${relative} is on no floor: add it to test/architecture/import-floors.test.ts`);
  }
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Relative imports of a file, resolved to paths under src/ (type-only imports count too). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/g), ...text.matchAll(/(?:^|\n)\s*import\s+'(\.[^']+)'/g)].map((m) => m[1]);
  return specifiers.map((specifier) => path.relative(SRC, path.resolve(path.dirname(file), specifier)).split(path.sep).join('/'));
}

describe('import floors', () => {
  const files = sourceFiles(SRC);

  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('no import runs back up a floor', () => {
    const violations: string[] = [];
    for (const file of files) {
      const own = path.relative(SRC, file).split(path.sep).join('/');
      for (const target of importsOf(file)) {
        if (target.startsWith('..')) continue; // schemas/*.json beside src/
        if (floorOf(target) > floorOf(own)) violations.push(`src/${own} imports src/${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the two stores never import each other', () => {
    const crossing = files
      .map((file) => [path.relative(SRC, file).split(path.sep).join('/'), importsOf(file)] as const)
      .flatMap(([own, targets]) => targets.filter((t) => (own.startsWith('store/sqlite/') && t.startsWith('store/mongo/')) || (own.startsWith('store/mongo/') && t.startsWith('store/sqlite/'))).map((t) => `${own} → ${t}`));
    expect(crossing).toEqual([]);
  });
});
