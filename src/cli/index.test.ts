import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buildConfig } from '../config/load';
import { verifyPassword } from '../auth/passwords';
import { parsePasswordHash } from '../config/password-hash';
import { main, startupWarnings } from './index';
import { captureStdio as capture } from '../../test/support/cli';
import { testConfigObject } from '../../test/support/config';

const dir = mkdtempSync(path.join(os.tmpdir(), 'taxiway-cli-'));

describe('taxiway config check', () => {
  test('exits 0 for the example config', async () => {
    const c = capture();
    try {
      expect(await main(['node', 'taxiway', 'config', 'check', path.join(__dirname, '../../config/taxiway.yaml')])).toBe(0);
      expect(c.out()).toMatch(/valid \(2 API roots, 2 collections, 2 users, store sqlite\)/);
    } finally {
      c.restore();
    }
  });

  test('exits 2 and lists every problem with file and line', async () => {
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'api_roots:\n  - path: a\n    title: A\n    colour: red\ncollections: []\nserver:\n  port: nope\n');
    const c = capture();
    try {
      expect(await main(['node', 'taxiway', 'config', 'check', file])).toBe(2);
      expect(c.err()).toMatch(/bad\.yaml:4:5: api_roots\[0\]\.colour: unknown key 'colour'/);
      expect(c.err()).toMatch(/bad\.yaml:7:\d+: server\.port: must be integer/);
    } finally {
      c.restore();
    }
  });

  test('a missing file is a config error, not a crash', async () => {
    const c = capture();
    try {
      expect(await main(['node', 'taxiway', 'config', 'check', path.join(dir, 'missing.yaml')])).toBe(2);
      expect(c.err()).toMatch(/cannot read the file/);
    } finally {
      c.restore();
    }
  });

  test('unknown commands and bad options exit 2', async () => {
    const c = capture();
    try {
      expect(await main(['node', 'taxiway', 'frobnicate'])).toBe(2);
      expect(await main(['node', 'taxiway', 'serve', '--port', 'abc'])).toBe(2);
    } finally {
      c.restore();
    }
  });
});

describe('taxiway hash-password', () => {
  test('reads stdin and prints a hash that verifies', async () => {
    const stdin = jest.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from([Buffer.from('s3cret pass\n')]) as unknown as typeof process.stdin);
    const c = capture();
    try {
      expect(await main(['node', 'taxiway', 'hash-password'])).toBe(0);
    } finally {
      c.restore();
      stdin.mockRestore();
    }
    const hash = c.out().trim();
    const parsed = parsePasswordHash(hash);
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(await verifyPassword('s3cret pass', parsed)).toBe(true);
    expect(hash).not.toContain('s3cret');
  });
});

describe('startup warnings', () => {
  test('development users, no users and plain HTTP on a public address are called out', () => {
    const raw = testConfigObject();
    (raw.users as Record<string, unknown>[])[0].development = true;
    expect(startupWarnings(buildConfig(raw))).toEqual([expect.stringMatching(/development user 'alice' is enabled/)]);
    const none = buildConfig(testConfigObject({ users: [], collections: [], server: { host: '0.0.0.0' } }));
    expect(startupWarnings(none)).toEqual([
      expect.stringMatching(/no users are enabled/),
      expect.stringMatching(/plain HTTP on 0\.0\.0\.0/),
      expect.stringMatching(/public_base_url is not set: discovery links are built from each request's Host/),
    ]);
    const behindProxy = buildConfig(testConfigObject({ server: { host: '0.0.0.0', public_base_url: 'https://intel.example.org' } }));
    expect(startupWarnings(behindProxy).join('\n')).not.toMatch(/public_base_url/);
  });
});
