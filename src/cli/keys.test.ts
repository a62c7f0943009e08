import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { digestApiKey, generateApiKey, KeyDirectory } from '../auth/keys';
import { parseConfigText } from '../config/load';
import { parseExpiry, register } from './keys';
import { runCommand, type CommandRun } from '../../test/support/cli';
import { testHash } from '../../test/support/config';

const NOW = new Date('2026-01-01T00:00:00Z');
const EXISTING = generateApiKey();

const FIXTURE = `api_roots: [{ path: api1, title: API 1 }]
collections: []
users:
  - name: alice   # no keys yet
    password_hash: "${testHash('a')}"
    groups: [partners]
  - name: carol
    password_hash: "${testHash('c')}"
    api_keys:
      # rotated every year
      - id: "${EXISTING.id}"
        name: misp
        sha256: ${EXISTING.sha256}
        created: "2025-01-01T00:00:00Z"
  - name: off
    password_hash: "${testHash('o')}"
    enabled: false
# end
`;

let file: string;
beforeEach(() => {
  file = path.join(mkdtempSync(path.join(os.tmpdir(), 'taxiway-keys-')), 'taxiway.yaml');
  writeFileSync(file, FIXTURE);
});

function taxiway(args: string[]): Promise<CommandRun> {
  return runCommand(register, [...args, '--config', file], { env: {}, interactive: false, readSecret: async () => '', now: () => NOW });
}

const read = (): string => readFileSync(file, 'utf8');
/** An id made only of digits would read back as a number, so it is written quoted. */
const idText = (id: string): string => (/^\d+$/.test(id) ? `"${id}"` : id);
const micros = (d: Date): bigint => BigInt(d.getTime()) * 1000n;

describe('taxiway key add', () => {
  test('prints the key once, alone on stdout, and stores only its digest after the last key', async () => {
    const run = await taxiway(['key', 'add', 'carol', '--name', 'Sentinel (prod)', '--expires', '30d']);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^twk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}\n$/);
    const key = run.out.trim();
    expect(run.err).toMatch(/shown only this once[\s\S]*taxiway reload/);
    const text = read();
    expect(text).not.toContain(key.slice(13));
    const id = key.slice(4, 12);
    const at = FIXTURE.indexOf('  - name: off');
    expect(text).toBe(
      `${FIXTURE.slice(0, at)}      - id: ${idText(id)}\n        name: "Sentinel (prod)"\n        sha256: ${digestApiKey(key)}\n        created: "2026-01-01T00:00:00Z"\n        expires: "2026-01-31T00:00:00Z"\n${FIXTURE.slice(at)}`,
    );
    const keys = new KeyDirectory(parseConfigText(text, file).users, () => micros(NOW));
    expect(keys.check(key)).toEqual({ principal: { user: 'carol', groups: ['$authenticated'], keyId: id } });
    expect(new KeyDirectory(parseConfigText(text, file).users, () => micros(new Date('2026-02-01T00:00:00Z'))).check(key)).toEqual({ failure: 'expired API key' });
  });

  test("starts a user's api_keys list when there is none", async () => {
    const run = await taxiway(['key', 'add', 'alice', '--name', 'taxii2-client']);
    expect(run.code).toBe(0);
    const id = run.out.slice(4, 12);
    expect(read()).toBe(FIXTURE.replace('    groups: [partners]\n', `    groups: [partners]\n    api_keys:\n      - id: ${idText(id)}\n        name: taxii2-client\n        sha256: ${digestApiKey(run.out.trim())}\n        created: "2026-01-01T00:00:00Z"\n`));
  });

  test('warns that a disabled user’s key does not work yet', async () => {
    const run = await taxiway(['key', 'add', 'off', '--name', 'x']);
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/'off' is disabled/);
  });

  test.each([
    [['key', 'add', 'nobody', '--name', 'x'], /no user 'nobody'/],
    [['key', 'add', 'alice', '--name', 'x', '--expires', '2025-06-01'], /not in the future/],
    [['key', 'add', 'alice', '--name', 'x', '--expires', 'tomorrow'], /--expires takes/],
    [['key', 'add', 'alice', '--name', ''], /would not pass config check[\s\S]*name/],
  ])('refuses %p with exit 2 and leaves the file alone', async (args, message) => {
    const run = await taxiway(args);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(run.out).toBe('');
    expect(read()).toBe(FIXTURE);
  });

  test('a name is required', async () => {
    expect((await taxiway(['key', 'add', 'alice'])).code).not.toBe(0);
    expect(read()).toBe(FIXTURE);
  });
});

describe('taxiway key list and remove', () => {
  test('list shows ids, names and dates, never a digest or a key', async () => {
    const added = await taxiway(['key', 'add', 'alice', '--name', 'misp', '--expires', '2026-06-30']);
    const run = await taxiway(['key', 'list']);
    expect(run.code).toBe(0);
    const lines = run.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^USER +ID +NAME +CREATED +EXPIRES$/);
    expect(lines.slice(1).map((l) => l.split(/ {2,}/))).toEqual([
      ['alice', added.out.slice(4, 12), 'misp', '2026-01-01T00:00:00Z', '2026-06-30T00:00:00Z'],
      ['carol', EXISTING.id, 'misp', '2025-01-01T00:00:00Z', 'never'],
    ]);
    expect(run.out).not.toContain(EXISTING.sha256);
    expect((await taxiway(['key', 'list', 'carol'])).out.trimEnd().split('\n')).toHaveLength(2);
    expect((await taxiway(['key', 'list', 'off'])).out).toBe("'off' has no API keys\n");
    expect((await taxiway(['key', 'list', 'nobody'])).code).toBe(2);
  });

  test('remove takes the key out, leaving an empty list and the comments around it', async () => {
    const run = await taxiway(['key', 'remove', 'carol', EXISTING.id]);
    expect(run).toMatchObject({ code: 0, out: `removed key ${EXISTING.id} of 'carol' from ${file}\n` });
    expect(run.err).toMatch(/taxiway reload/);
    const start = FIXTURE.indexOf('    api_keys:');
    expect(read()).toBe(`${FIXTURE.slice(0, start)}    api_keys: []\n${FIXTURE.slice(FIXTURE.indexOf('  - name: off'))}`);
    expect(new KeyDirectory(parseConfigText(read(), file).users, () => micros(NOW)).check(EXISTING.key)).toEqual({ failure: 'unknown API key' });
  });

  test('remove of an unknown id is refused', async () => {
    const run = await taxiway(['key', 'remove', 'carol', 'zzzzzzzz']);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/has no key zzzzzzzz/);
    expect(read()).toBe(FIXTURE);
  });
});

describe('parseExpiry', () => {
  test.each([
    ['30d', '2026-01-31T00:00:00Z'],
    ['2026-06-30', '2026-06-30T00:00:00Z'],
    ['2026-06-30T12:00:00+02:00', '2026-06-30T10:00:00Z'],
    ['2026-06-30T12:00Z', '2026-06-30T12:00:00Z'],
  ])('%s is %s', (text, iso) => {
    expect(parseExpiry(text, NOW)).toBe(iso);
  });

  test.each(['2026-02-30', '2025-12-31', '0d', 'next week', '2026-06-30T12:00:00'])('%s is refused', (text) => {
    expect(() => parseExpiry(text, NOW)).toThrow();
  });
});
