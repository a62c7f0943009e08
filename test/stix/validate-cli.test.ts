import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runValidate, type ValidateCliOptions } from '../../src/cli/validate';
import { BASE, variant } from './fixtures';

const text: ValidateCliOptions = { json: false, policy: 'standard', acceptStix20: false };
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxiway-validate-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 1));
  return file;
}

async function run(files: string[], options: ValidateCliOptions = text): Promise<{ code: number; lines: string[] }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const code = await runValidate(files, options, out);
  out.end();
  return { code, lines: Buffer.concat(chunks).toString('utf8').split('\n').filter((l) => l !== '') };
}

const bundle = (objects: unknown[]): unknown => ({ type: 'bundle', id: 'bundle--7db68b55-128a-4e8f-b41a-ec755a582b4a', objects });
const broken = variant(BASE.malware, { modified: '2019-01-01T00:00:00.000Z' });

describe('taxiway validate', () => {
  it('reads a single observed-data object whose deprecated objects property is a dictionary', async () => {
    const observed = variant(BASE.observedData, { object_refs: undefined, objects: { '0': { type: 'ipv4-addr', value: '198.51.100.3' } } });
    const { code, lines } = await run([write('observed.json', observed)]);
    expect(code).toBe(0);
    expect(lines.join('\n')).not.toMatch(/unreadable/);
  });

  it('exits 0 for valid bundles, envelopes, arrays and single objects', async () => {
    const files = [
      write('bundle.json', bundle([BASE.identity, BASE.malware])),
      write('envelope.json', { objects: [BASE.file], more: false }),
      write('array.json', [BASE.ipv4, BASE.process]),
      write('single.json', BASE.indicator),
    ];
    const { code, lines } = await run(files);
    expect(code).toBe(0);
    expect(lines).toEqual([
      `${files[0]}: 2 object(s) checked, 0 invalid`,
      `${files[1]}: 1 object(s) checked, 0 invalid`,
      `${files[2]}: 2 object(s) checked, 0 invalid`,
      `${files[3]}: 1 object(s) checked, 0 invalid`,
    ]);
  });

  it('prints a line per failing object and exits 1', async () => {
    const file = write('mixed.json', bundle([BASE.identity, broken, variant(BASE.identity, { name: undefined })]));
    const { code, lines } = await run([file]);
    expect(code).toBe(1);
    expect(lines).toEqual([
      `${file}: [1] ${String(BASE.malware.id)}: [modified-not-before-created] /modified must not be earlier than /created (2019-01-01T00:00:00.000Z < 2020-01-01T00:00:00.000Z)`,
      `${file}: [2] ${String(BASE.identity.id)}: [required-property] /name is required but missing`,
      `${file}: 3 object(s) checked, 2 invalid`,
    ]);
  });

  it('writes JSON lines with --json', async () => {
    const file = write('one-bad.json', [broken]);
    const { code, lines } = await run([file], { ...text, json: true });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toEqual({
      file, index: 0, id: BASE.malware.id, warnings: [],
      errors: [{ rule: 'modified-not-before-created', path: '/modified', message: expect.stringContaining('/modified') as unknown }],
    });
  });

  it('applies the policy', async () => {
    const file = write('custom.json', [variant(BASE.identity, { x_acme_score: 1 })]);
    expect((await run([file])).code).toBe(0);
    expect((await run([file], { ...text, policy: 'strict' })).code).toBe(1);
  });

  it('accepts STIX 2.0 objects only with acceptStix20', async () => {
    const file = write('stix20.json', variant(BASE.identity, { spec_version: undefined }));
    expect((await run([file])).code).toBe(1);
    expect((await run([file], { ...text, acceptStix20: true })).code).toBe(0);
  });

  it('exits 2 for unreadable input and still checks the other files', async () => {
    const files = [
      write('comma.json', '{"type": "identity",}'),
      write('braces.json', '<{"type": "identity"}>'),
      write('empty.json', '  '),
      path.join(dir, 'missing.json'),
      write('truncated.json', '{"type": "bundle", "objects": [{"type": "identity"}, '),
      write('fine.json', [BASE.identity]),
    ];
    const { code, lines } = await run(files);
    expect(code).toBe(2);
    expect(lines.filter((l) => l.includes('unreadable'))).toHaveLength(5);
    expect(lines).toContain(`${files[5]}: 1 object(s) checked, 0 invalid`);
  });

  it('checks an empty bundle as a bundle and accepts an empty envelope', async () => {
    expect((await run([write('empty-bundle.json', bundle([]))])).code).toBe(1);
    expect((await run([write('empty-envelope.json', { objects: [] })])).code).toBe(0);
  });

  it('streams a large bundle', async () => {
    const objects = Array.from({ length: 20000 }, (_, i) => variant(BASE.identity, { name: `identity ${i}` }));
    objects[19999] = broken;
    const file = write('large.json', bundle(objects));
    const { code, lines } = await run([file]);
    expect(code).toBe(1);
    expect(lines[0]).toContain('[19999]');
    expect(lines[1]).toBe(`${file}: 20000 object(s) checked, 1 invalid`);
  });
});
