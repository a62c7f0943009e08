/**
 * Slow (tens of seconds): `taxiway import` of a generated ~64 MiB bundle keeps the heap flat.
 * A reader that held the file, or read ahead of what is stored, would grow with the file; the
 * import holds one read chunk and one slice of objects at a time. Skip it with
 * `npx jest --testPathIgnorePatterns slow`.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { runImport } from '../../src/cli/import';
import { createStixValidator } from '../../src/stix/validator';
import { IDS } from '../support/config';
import { deployment, io } from './support';

const TARGET_BYTES = 64 * 1024 * 1024;
const MIB = 1024 * 1024;

/**
 * A full garbage collection on demand, so samples measure live objects rather than garbage
 * V8 has not yet found worth collecting (without it the heap of any busy process climbs).
 */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** A pretty-printed bundle of indicators with ~2 KB descriptions, written as a stream. */
async function generateBundle(file: string): Promise<number> {
  const out = createWriteStream(file);
  const filler = 'Observed in campaigns against several sectors; see the linked reports. '.repeat(28);
  let bytes = 0;
  let count = 0;
  const write = async (text: string): Promise<void> => {
    bytes += text.length;
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`{\n  "type": "bundle",\n  "id": "bundle--${randomUUID()}",\n  "objects": [\n`);
  while (bytes < TARGET_BYTES) {
    const object = {
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${randomUUID()}`,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      name: `generated indicator ${count}`,
      description: filler,
      pattern: `[ipv4-addr:value = '10.${(count >> 16) & 255}.${(count >> 8) & 255}.${count & 255}']`,
      pattern_type: 'stix',
      valid_from: '2024-01-01T00:00:00Z',
    };
    await write(`${count > 0 ? ',\n' : ''}${JSON.stringify(object, null, 2)}`);
    count++;
  }
  await write('\n  ]\n}\n');
  out.end();
  await once(out, 'finish');
  return count;
}

describe('taxiway import memory (slow)', () => {
  test('the heap stays flat while a 64 MiB bundle is imported', async () => {
    const d = deployment('memory');
    const file = path.join(d.dir, 'generated-bundle.json');
    try {
      const count = await generateBundle(file);
      const size = statSync(file).size;
      const gc = collector();
      const samples: number[] = [];
      const sample = (): void => {
        gc();
        samples.push(process.memoryUsage().heapUsed);
      };
      sample();
      const timer = setInterval(sample, 250);
      const started = Date.now();
      const report = await runImport({ config: d.config, collection: IDS.rw, files: [file], progress: 'none', validator: createStixValidator() }, io());
      clearInterval(timer);
      sample();
      const seconds = (Date.now() - started) / 1000;
      expect(report.tally).toMatchObject({ stored: count, failed: 0 });

      const base = samples[0];
      const peak = Math.max(...samples);
      const third = Math.floor(samples.length / 3);
      const early = Math.max(...samples.slice(0, third));
      const late = Math.max(...samples.slice(-third));
      process.stderr.write(
        `import of ${(size / MIB).toFixed(0)} MiB (${count} objects) in ${seconds.toFixed(1)} s: heap at start ${(base / MIB).toFixed(0)} MiB, ` +
          `peak ${(peak / MIB).toFixed(0)} MiB, peak in the first third ${(early / MIB).toFixed(0)} MiB, in the last third ${(late / MIB).toFixed(0)} MiB\n`,
      );
      // Generous bounds (live heap measured about 7 MiB above the start): far below the file size, and no growth from the first third to the last.
      expect(samples.length).toBeGreaterThan(12);
      expect(peak - base).toBeLessThan(48 * MIB);
      expect(late).toBeLessThan(early + 16 * MIB);
    } finally {
      rmSync(file, { force: true });
    }
  }, 600_000);
});
