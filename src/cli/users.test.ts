import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyPassword } from '../auth/passwords';
import { parsePasswordHash } from '../config/password-hash';
import { parseConfigText } from '../config/load';
import { register } from './users';
import { runCommand, type CommandRun } from '../../test/support/cli';
import { testHash } from '../../test/support/config';

const HASH = { alice: testHash('alice-pw'), bob: testHash('bob-pw'), carol: testHash('carol-pw') };

/** Comments, blank lines, odd spacing, flow and block lists, all three quoting styles. */
const FIXTURE = `# Taxiway test configuration: every comment here must survive.
server:
  host: 127.0.0.1    # loopback only
  log_level: error

api_roots:
  - path: api1
    title: API 1

collections:
  - id: 11111111-1111-4111-8111-111111111111
    api_root: api1
    title:   Shared     # odd spacing
    maintainers: { users: [alice] }
    permissions:
      read: { users: [alice, bob], groups: [readers] }
      write:
        users:
          - alice
          - carol   # carol pushes too

users:
  # The first partner.
  - name: alice          # primary account
    password_hash: "${HASH.alice}"
    groups: [writers]
  - name: bob
    password_hash: '${HASH.bob}'
    groups:
      - readers
    enabled: true

  # Carol signs in from the SOC.
  - name: carol
    password_hash: ${HASH.carol}
store:
  type: sqlite
  sqlite: { path: ':memory:' }
# trailing comment
`;

/** The least a configuration needs besides users. */
const MINIMAL = 'api_roots: [{ path: api1, title: API 1 }]\ncollections: []\n';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'taxiway-users-'));
  file = path.join(dir, 'taxiway.yaml');
  writeFileSync(file, FIXTURE);
});

function taxiway(args: string[], secrets: string[] = [], options: { interactive?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<CommandRun> {
  return runCommand(register, [...args, '--config', file], {
    env: options.env ?? {},
    interactive: options.interactive ?? false,
    readSecret: async () => secrets.shift() ?? '',
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
}

const read = (): string => readFileSync(file, 'utf8');

async function expectHashOf(text: string, user: string, password: string): Promise<void> {
  const config = parseConfigText(text, file);
  const hash = parsePasswordHash(config.users.find((u) => u.name === user)?.password_hash ?? '');
  if (typeof hash === 'string') throw new Error(hash);
  expect(await verifyPassword(password, hash)).toBe(true);
}

describe('taxiway user add', () => {
  test('appends the user after the last one, hashing the password from stdin; every other byte is kept', async () => {
    const run = await taxiway(['user', 'add', 'dave', '--group', 'writers', '-g', 'readers'], ['dave password']);
    expect(run).toMatchObject({ code: 0, out: `added user 'dave' to ${file}\n` });
    expect(run.err).toMatch(/taxiway reload/);
    const text = read();
    const at = FIXTURE.indexOf('store:');
    expect(text.slice(0, at)).toBe(FIXTURE.slice(0, at));
    expect(text.slice(text.indexOf('store:'))).toBe(FIXTURE.slice(at));
    expect(text.slice(at, text.indexOf('store:'))).toMatch(/^ {2}- name: dave\n {4}password_hash: "\$scrypt\$N=32768,r=8,p=1\$[^"]+"\n {4}groups: \[writers, readers\]\n$/);
    expect(text).not.toContain('dave password');
    await expectHashOf(text, 'dave', 'dave password');
  });

  test('asks twice on a terminal and refuses when the answers differ', async () => {
    expect((await taxiway(['user', 'add', 'dave'], ['one', 'two'], { interactive: true })).code).toBe(2);
    expect(read()).toBe(FIXTURE);
    expect((await taxiway(['user', 'add', 'dave'], ['same', 'same'], { interactive: true })).code).toBe(0);
  });

  test.each([
    ['an existing user', ['user', 'add', 'bob'], ['pw'], /already exists/],
    ['an empty password', ['user', 'add', 'dave'], [''], /no password/],
    ['a two-line password', ['user', 'add', 'dave'], ['first\nsecond'], /control characters/],
    ['a password shaped like an API key', ['user', 'add', 'dave'], [`twk_abcdefgh_${'a'.repeat(43)}`], /API key/],
    ['a name the schema refuses', ['user', 'add', 'dave smith'], ['pw'], /would not pass config check[\s\S]*users\[3\]\.name/],
  ])('refuses %s with exit 2 and leaves the file alone', async (_what, args, secrets, message) => {
    const run = await taxiway(args, secrets);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(read()).toBe(FIXTURE);
  });

  test('never takes a password on the command line', async () => {
    const run = await taxiway(['user', 'add', 'dave', '--password', 'secret']);
    expect(run.code).not.toBe(0);
    expect(read()).toBe(FIXTURE);
  });

  test('turns an empty users list, or none at all, into a block list', async () => {
    writeFileSync(file, `${MINIMAL}users: []   # none yet\nstore: { type: sqlite }\n`);
    expect((await taxiway(['user', 'add', 'dave'], ['pw'])).code).toBe(0);
    expect(read()).toMatch(/^api_roots: .*\ncollections: \[\]\nusers:\n {2}- name: dave\n {4}password_hash: "\$scrypt\$[^"]+"\nstore: \{ type: sqlite \}\n$/);
    writeFileSync(file, `# just a comment\n${MINIMAL.trimEnd()}`);
    expect((await taxiway(['user', 'add', 'dave'], ['pw'])).code).toBe(0);
    expect(read()).toMatch(/^# just a comment\napi_roots: .*\ncollections: \[\]\nusers:\n {2}- name: dave\n {4}password_hash: "\$scrypt\$[^"]+"\n$/);
  });
});

describe('taxiway user passwd, disable, enable', () => {
  test('passwd replaces the hash only, keeping its line; warns when the environment overrides it', async () => {
    const run = await taxiway(['user', 'passwd', 'bob'], ['new bob pw'], { env: { TAXIWAY_USER_BOB_PASSWORD_HASH: HASH.bob } });
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/TAXIWAY_USER_BOB_PASSWORD_HASH is set/);
    const text = read();
    const hash = /password_hash: ("[^"]+")\n {4}groups:\n {6}- readers/.exec(text)?.[1];
    expect(hash).toBeDefined();
    expect(text).toBe(FIXTURE.replace(`'${HASH.bob}'`, hash as string));
    await expectHashOf(text, 'bob', 'new bob pw');
  });

  test('passwd of an unknown user is refused before asking for a password', async () => {
    const secrets = ['unused'];
    expect((await taxiway(['user', 'passwd', 'zed'], secrets)).code).toBe(2);
    expect(secrets).toEqual(['unused']);
  });

  test('disable adds enabled: false, or changes an existing enabled; enable reverses it', async () => {
    expect((await taxiway(['user', 'disable', 'alice'])).code).toBe(0);
    expect(read()).toBe(FIXTURE.replace('    groups: [writers]\n', '    groups: [writers]\n    enabled: false\n'));
    expect((await taxiway(['user', 'disable', 'bob'])).code).toBe(0);
    expect(read()).toBe(FIXTURE.replace('    groups: [writers]\n', '    groups: [writers]\n    enabled: false\n').replace('    enabled: true\n', '    enabled: false\n'));
    expect((await taxiway(['user', 'enable', 'alice'])).code).toBe(0);
    expect(parseConfigText(read(), file).users.map((u) => [u.name, u.enabled])).toEqual([
      ['alice', true],
      ['bob', false],
      ['carol', true],
    ]);
  });

  test('a flow-style user entry is rewritten in flow style', async () => {
    writeFileSync(file, `${MINIMAL}users:\n  - { name: zoe, password_hash: "${HASH.alice}" }   # flow\n`);
    expect((await taxiway(['user', 'disable', 'zoe'])).code).toBe(0);
    expect(read()).toBe(`${MINIMAL}users:\n  - { name: zoe, password_hash: "${HASH.alice}", enabled: false }   # flow\n`);
  });
});

describe('taxiway user remove', () => {
  test('refuses while permissions, maintainers or metrics name the user', async () => {
    writeFileSync(file, `${FIXTURE}metrics:\n  users: [alice]\n`);
    const before = read();
    const run = await taxiway(['user', 'remove', 'alice']);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/collections\[0\]\.permissions\.read\.users, collections\[0\]\.permissions\.write\.users, collections\[0\]\.maintainers\.users, metrics\.users; .*--force/);
    expect(read()).toBe(before);
  });

  test('--force removes the references too, from flow and block lists alike', async () => {
    const run = await taxiway(['user', 'remove', 'carol', '--force']);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/and from collections\[0\]\.permissions\.write\.users/);
    expect(read()).toBe(FIXTURE.replace('          - carol   # carol pushes too\n', '').replace(`  - name: carol\n    password_hash: ${HASH.carol}\n`, ''));
    expect((await taxiway(['user', 'add', 'carol'], ['pw'])).code).toBe(0);
    writeFileSync(file, FIXTURE);
    expect((await taxiway(['user', 'remove', 'alice', '--force'])).code).toBe(0);
    const text = read();
    expect(text).toContain('maintainers: { users: [] }');
    expect(text).toContain('read: { users: [bob], groups: [readers] }');
    expect(text).toContain('        users:\n          - carol   # carol pushes too\n');
    expect(text).toContain('users:\n  # The first partner.\n  - name: bob\n');
  });

  test('refuses when the result would not pass config check (a group left without members)', async () => {
    const run = await taxiway(['user', 'remove', 'bob', '--force']);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/no user is in group 'readers'/);
    expect(read()).toBe(FIXTURE);
  });

  test('removing the last user leaves an empty list', async () => {
    writeFileSync(file, `${MINIMAL}users:\n  - name: solo\n    password_hash: "${HASH.alice}"\nstore: { type: sqlite }\n`);
    expect((await taxiway(['user', 'remove', 'solo'])).code).toBe(0);
    expect(read()).toBe(`${MINIMAL}users: []\nstore: { type: sqlite }\n`);
  });
});

describe('writing the file', () => {
  test('keeps its mode, leaves no temporary file, and follows a symlink', async () => {
    chmodSync(file, 0o640);
    expect((await taxiway(['user', 'disable', 'alice'])).code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['taxiway.yaml']);
    const link = path.join(dir, 'current.yaml');
    symlinkSync(file, link);
    file = link;
    expect((await taxiway(['user', 'disable', 'bob'])).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(dir, 'taxiway.yaml'), 'utf8')).toContain('    enabled: false\n  - name: bob');
    expect(readdirSync(dir).sort()).toEqual(['current.yaml', 'taxiway.yaml']);
  });

  test('an unreadable or invalid YAML file is refused', async () => {
    writeFileSync(file, 'users: [\n');
    const run = await taxiway(['user', 'disable', 'alice']);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/not valid YAML/);
  });
});
