/** The input readers of `taxiway import`: format detection, item picking, and locating syntax errors. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { MalformedInput, openStixInput, UnreadableInput } from '../../src/cli/input';
import { detectInputFormat } from '../../src/cli/input/format';
import { tempDir } from './support';

const dir = tempDir('input');
let n = 0;
function file(text: string | Buffer, extension = '.json'): string {
  const name = path.join(dir, `input-${n++}${extension}`);
  writeFileSync(name, text);
  return name;
}

async function readAll(name: string): Promise<{ values: unknown[]; error?: MalformedInput }> {
  const values: unknown[] = [];
  try {
    for await (const item of (await openStixInput(name)).objects()) values.push(item.value);
  } catch (error) {
    if (error instanceof MalformedInput) return { values, error };
    throw error;
  }
  return { values };
}

describe('format detection', () => {
  test.each([
    ['[{"a":1}]', 'array'],
    ['\uFEFF  \n{"type":"bundle","objects":[]}', 'document'],
    ['{\n  "objects": []\n}', 'document'],
    ['{"type":"bundle","objects":[{"a":1}]}\n', 'document'],
    ['{"type":"indicator"}\n{"type":"malware"}\n', 'ndjson'],
    ['{"type":"indicator"}', 'document'],
  ])('%j is %s', async (text, format) => {
    expect(await detectInputFormat(file(text))).toBe(format);
  });

  test('.ndjson and .jsonl files are NDJSON whatever they start with; blank files have no format', async () => {
    expect(await detectInputFormat(file('[1]\n', '.jsonl'))).toBe('ndjson');
    expect(await detectInputFormat(file('{\n"a":1}', '.NDJSON'))).toBe('ndjson');
    expect(await detectInputFormat(file(' \n\t'))).toBeUndefined();
  });

  test('anything else is unreadable', async () => {
    await expect(detectInputFormat(file('<xml/>'))).rejects.toThrow(UnreadableInput);
    await expect(detectInputFormat(dir)).rejects.toThrow(/not a regular file/);
  });
});

describe('items', () => {
  test('only the top-level "objects" list is picked; scalars in it are items too', async () => {
    const text = JSON.stringify({ a: { objects: [1, 2] }, objects: [{ x: [1, { y: null }] }, 'text', 3.5e2, true, null, []], b: [{ objects: [9] }] });
    expect((await readAll(file(text))).values).toEqual([{ x: [1, { y: null }] }, 'text', 350, true, null, []]);
  });

  test('values are built as JSON.parse builds them', async () => {
    const text = '[{"__proto__":{"polluted":1},"k":"\\u00e9\\n\\"","n":-0.5e-3,"dup":1,"dup":2}]';
    const { values } = await readAll(file(text));
    expect(values).toEqual(JSON.parse(text));
    expect(Object.keys(values[0] as object)).toEqual(['__proto__', 'k', 'n', 'dup']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('locating a syntax error', () => {
  const CHUNK = 64 * 1024;

  /** A bundle whose text breaks at `byte` (a bare word where a value should be), with the objects before it. */
  function brokenAt(byte: number): { name: string; line: number; column: number; before: number } {
    const head = '{"id":"x","v":';
    let text = '{\n"objects": [\n';
    let before = 0;
    for (; Buffer.byteLength(text) < byte - 200; before++) text += `{"id":"x","pad":"${'p'.repeat(80)}"},\n`;
    text += `${head}${' '.repeat(byte - Buffer.byteLength(text) - head.length)}`;
    expect(Buffer.byteLength(text)).toBe(byte);
    const lines = text.split('\n');
    // Shorter than the parser's look-ahead after the mistake: it is noticed only at the end.
    return { name: file(`${text}oops}\n]}`), line: lines.length, column: lines[lines.length - 1].length + 1, before };
  }

  test.each([300, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17])('an error at byte %i is reported at that byte, with line and column', async (byte) => {
    const { name, line, column, before } = brokenAt(byte);
    const { values, error } = await readAll(name);
    expect(error?.where).toEqual({ byte, line, column });
    expect(error?.detail).toBe('malformed JSON: Parser cannot parse input: expected a value');
    // Every object before the broken one was read.
    expect(values).toHaveLength(before);
  });

  test('a mistake noticed in the next chunk is still located where it is', async () => {
    const text = `[${' '.repeat(CHUNK - 3)}x${' '.repeat(100)}1]`;
    const { error } = await readAll(file(text));
    expect(error?.where).toEqual({ byte: CHUNK - 2, line: 1, column: CHUNK - 1 });
  });

  test('a text cut short is reported at its end', async () => {
    const { error } = await readAll(file('{"objects":[{"a":1},\n{"b":'));
    expect(error?.where).toEqual({ byte: 26, line: 2, column: 6 });
  });
});
