import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from './errors';
import { buildConfig, parseConfigText, resolveConfigPath } from './load';
import { testConfigObject, testHash } from '../../test/support/config';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}|${p.line ?? ''}|${p.message}|${p.source}`);
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const HASH = testHash('pw');
const MINIMAL = `
api_roots:
  - path: api
    title: API
collections:
  - id: 11111111-1111-4111-8111-111111111111
    api_root: api
    title: C
    permissions:
      read: { users: [u] }
users:
  - name: u
    password_hash: "${HASH}"
`;

describe('config loading', () => {
  test('applies defaults to a minimal file', () => {
    const c = parseConfigText(MINIMAL, '/etc/taxiway/taxiway.yaml');
    expect(c.server).toMatchObject({ host: '127.0.0.1', port: 8000, log_level: 'info', trust_proxy: false });
    expect(c.api_roots[0]).toMatchObject({ max_content_length: 10485760, default_page_size: 100, max_page_size: 1000 });
    expect(c.collections[0]).toMatchObject({ media_types: ['application/stix+json;version=2.1'], validation: 'standard', ownership: true });
    expect(c.collections[0].permissions.write).toEqual({ users: [], groups: [] });
    expect(c.store.type).toBe('sqlite');
    // Relative paths resolve against the config file's folder, not the working directory.
    expect(c.store.sqlite.path).toBe(path.resolve('/etc/taxiway/data/taxiway.db'));
    expect(c.status.retention_hours).toBe(24);
    expect(Object.isFrozen(c.server)).toBe(true);
  });

  test('the example config is valid', () => {
    const c = parseConfigText(readFileSync(path.join(__dirname, '../../config/taxiway.yaml'), 'utf8'), 'config/taxiway.yaml');
    expect(c.api_roots).toHaveLength(2);
    expect(c.users.some((u) => u.development)).toBe(true);
  });

  test('unknown keys are errors that point at the key and its line', () => {
    const text = MINIMAL.replace('    title: C\n', '    title: C\n    titel: typo\n');
    const problems = problemsOf(() => parseConfigText(text, 'x.yaml'));
    expect(problems).toEqual([expect.stringMatching(/^collections\[0\]\.titel\|9\|unknown key 'titel'/)]);
  });

  test('every problem is reported at once, across sections, with lines', () => {
    const text = `
server:
  port: 99999
  bogus: 1
api_roots:
  - path: "bad path"
    title: API
collections:
  - id: not-a-uuid
    api_root: nowhere
    title: C
    permissions:
      read: { users: [ghost], groups: [nobody] }
users:
  - name: u
    password_hash: plaintext
store:
  type: oracle
`;
    const problems = problemsOf(() => parseConfigText(text, 'x.yaml'));
    const paths = problems.map((p) => p.split('|')[0]);
    expect(paths).toEqual(expect.arrayContaining(['server.port', 'server.bogus', 'api_roots[0].path', 'collections[0].id', 'users[0].password_hash', 'store.type']));
    expect(problems.find((p) => p.startsWith('server.port|'))).toMatch(/\|3\|/);
    expect(problems.every((p) => p.endsWith('|x.yaml'))).toBe(true);
  });

  test('cross-references are checked once the shape is right', () => {
    const text = MINIMAL.replace('api_root: api', 'api_root: nowhere').replace('users: [u]', 'users: [ghost], groups: [nobody]');
    const problems = problemsOf(() => parseConfigText(text, 'x.yaml'));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^collections\[0\]\.api_root\|\d+\|no API root has the path 'nowhere'/),
        expect.stringMatching(/^collections\[0\]\.permissions\.read\.users\[0\]\|\d+\|unknown user 'ghost'/),
        expect.stringMatching(/^collections\[0\]\.permissions\.read\.groups\[0\]\|\d+\|no user is in group 'nobody'/),
      ]),
    );
  });

  test('metrics access names real addresses, ranges and users', () => {
    const raw = testConfigObject({ metrics: { enabled: true, allow_addresses: ['10.0.0.0/8', '::1', '999.1.1.1', '10.0.0.0/33', 'fe80::/129', 'localhost'], users: ['alice', 'ghost'] } });
    const messages = problemsOf(() => buildConfig(raw));
    expect(messages).toEqual([
      expect.stringMatching(/^metrics\.allow_addresses\[2\]\|.*'999\.1\.1\.1' is not an IP address/),
      expect.stringMatching(/^metrics\.allow_addresses\[3\]\|/),
      expect.stringMatching(/^metrics\.allow_addresses\[4\]\|/),
      expect.stringMatching(/^metrics\.allow_addresses\[5\]\|/),
      expect.stringMatching(/^metrics\.users\[1\]\|.*unknown user 'ghost'/),
    ]);
  });

  test('duplicates, reserved names and page sizes are refused', () => {
    const raw = testConfigObject();
    (raw.api_roots as Record<string, unknown>[]).push({ path: 'api1', title: 'dup' }, { path: 'taxii2', title: 'reserved' });
    (raw.api_roots as Record<string, unknown>[])[1].default_page_size = 500;
    (raw.api_roots as Record<string, unknown>[])[1].max_page_size = 50;
    (raw.collections as Record<string, unknown>[]).push({ id: '11111111-1111-4111-8111-111111111111', api_root: 'api2', title: 'dup id' });
    (raw.discovery as Record<string, unknown>).default = 'missing';
    const messages = problemsOf(() => buildConfig(raw)).join('\n');
    expect(messages).toMatch(/duplicate API root path 'api1'/);
    expect(messages).toMatch(/'taxii2' is reserved/);
    expect(messages).toMatch(/default_page_size 500 is larger than max_page_size 50/);
    expect(messages).toMatch(/duplicate collection id/);
    expect(messages).toMatch(/discovery\.default\|\|no API root has the path 'missing'/);
  });

  test('mongodb store needs a URI, which the environment can provide', () => {
    const raw = testConfigObject({ store: { type: 'mongodb' } });
    expect(problemsOf(() => buildConfig(raw)).join()).toMatch(/store\.mongodb\.uri/);
    const c = buildConfig(raw, { env: { TAXIWAY_MONGODB_URI: 'mongodb://db.example:27017' } });
    expect(c.store.mongodb?.uri).toBe('mongodb://db.example:27017');
    expect(c.store.mongodb?.write_concern).toBe('majority');
  });

  test('environment overrides nest with __, parse scalars, and are named in errors', () => {
    const raw = testConfigObject();
    const c = buildConfig(raw, { env: { TAXIWAY_SERVER__PORT: '9443', TAXIWAY_SQLITE_PATH: '/var/lib/taxiway/db.sqlite', LOG_LEVEL: 'debug', TAXIWAY_USER_ALICE_PASSWORD_HASH: HASH } });
    expect(c.server.port).toBe(9443);
    expect(c.server.log_level).toBe('debug');
    expect(c.store.sqlite.path).toBe('/var/lib/taxiway/db.sqlite');
    expect(c.users.find((u) => u.name === 'alice')?.password_hash).toBe(HASH);
    const problems = problemsOf(() => buildConfig(raw, { env: { TAXIWAY_SERVER__PORT: 'eighty', TAXIWAY_SERVER__PROT: '1' } }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^server\.port\|\|must be integer\|environment variable TAXIWAY_SERVER__PORT$/),
        expect.stringMatching(/^server\.prot\|\|unknown key 'prot'.*\|environment variable TAXIWAY_SERVER__PROT$/),
      ]),
    );
  });

  test('YAML syntax errors and duplicate keys carry a line', () => {
    expect(problemsOf(() => parseConfigText('server:\n  port: 1\n  port: 2\n', 'x.yaml'))[0]).toMatch(/\|\d+\|YAML syntax/);
    expect(problemsOf(() => parseConfigText('server: [unclosed\n', 'x.yaml'))[0]).toMatch(/YAML syntax/);
  });

  test('TLS files must be readable', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'taxiway-cfg-'));
    const file = path.join(dir, 't.yaml');
    writeFileSync(path.join(dir, 'cert.pem'), 'x');
    writeFileSync(file, MINIMAL + 'server:\n  tls: { cert: cert.pem, key: missing-key.pem }\n');
    const problems = problemsOf(() => parseConfigText(readFileSync(file, 'utf8'), file));
    expect(problems).toEqual([expect.stringMatching(/^server\.tls\.key\|\d+\|file .*missing-key\.pem cannot be read/)]);
  });

  test('the config path comes from --config, else TAXIWAY_CONFIG, else config/taxiway.yaml', () => {
    expect(resolveConfigPath('/a.yaml', { TAXIWAY_CONFIG: '/b.yaml' })).toBe('/a.yaml');
    expect(resolveConfigPath(undefined, { TAXIWAY_CONFIG: '/b.yaml' })).toBe('/b.yaml');
    expect(resolveConfigPath(undefined, {})).toBe(path.resolve('config/taxiway.yaml'));
  });
});
