import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../config/errors';
import { ConfigEdit, EditError } from './config-edit';
import { testHash } from '../../test/support/config';

const BASE = `api_roots: [{ path: api1, title: API 1 }]\ncollections: []\n`;
const HASH = testHash('pw');

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'taxiway-edit-'));
  file = path.join(dir, 'taxiway.yaml');
});

function edit(text: string): ConfigEdit {
  writeFileSync(file, text);
  return ConfigEdit.open(file);
}

describe('ConfigEdit', () => {
  test('mirrors every edit on the model', () => {
    const e = edit(`${BASE}users:\n  - name: a\n    password_hash: "${HASH}"\n    groups: [x, ops]\n`);
    e.setScalar(['users', 0], 'enabled', false);
    e.removeItems(['users', 0], 'groups', (g) => g === 'x');
    e.append(['users', 0], 'api_keys', { id: 'abcdefgh', name: 'k', sha256: 'f'.repeat(64) });
    expect(e.model.users).toEqual([{ name: 'a', password_hash: HASH, groups: ['ops'], enabled: false, api_keys: [{ id: 'abcdefgh', name: 'k', sha256: 'f'.repeat(64) }] }]);
    expect(e.result()).toBe(`${BASE}users:\n  - name: a\n    password_hash: "${HASH}"\n    groups: [ops]\n    enabled: false\n    api_keys:\n      - id: abcdefgh\n        name: k\n        sha256: ${'f'.repeat(64)}\n`);
  });

  test('a file without a final newline gets one before an added line', () => {
    const e = edit(`${BASE}users:\n  - name: a\n    password_hash: "${HASH}"`);
    e.setScalar(['users', 0], 'enabled', false);
    expect(e.result()).toBe(`${BASE}users:\n  - name: a\n    password_hash: "${HASH}"\n    enabled: false\n`);
  });

  test('values an alias points at are kept as they are', () => {
    const e = edit(`${BASE}users:\n  - name: a\n    password_hash: &h "${HASH}"\n  - name: b\n    password_hash: *h\n`);
    e.setScalar(['users', 1], 'enabled', false);
    e.commit({});
    expect(readFileSync(file, 'utf8')).toBe(`${BASE}users:\n  - name: a\n    password_hash: &h "${HASH}"\n  - name: b\n    password_hash: *h\n    enabled: false\n`);
  });

  test('strings that YAML would read as something else are quoted', () => {
    const e = edit(`${BASE}users:\n  - name: a\n    password_hash: "${HASH}"\n`);
    e.append(['users', 0], 'groups', 'true');
    e.append(['users', 0], 'groups', '123');
    e.append(['users', 0], 'groups', 'ops-team');
    e.append(['users', 0], 'groups', '1e5');
    e.append(['users', 0], 'groups', '4b1f');
    expect(e.result()).toContain('    groups: ["true", "123", ops-team, "1e5", 4b1f]\n');
  });

  test('refuses what it cannot edit safely', () => {
    const commented = edit(`${BASE}users:\n  - name: a\n    password_hash: "${HASH}"\n  - # b\n    name: b\n    password_hash: "${HASH}"\n`);
    expect(() => commented.removeItems([], 'users', (u) => (u as { name: string }).name === 'b')).toThrow(EditError);
    expect(() => edit('- a\n- b\n')).toThrow(/not a YAML mapping/);
    expect(() => edit(`${BASE}users: 3\n`).append([], 'users', {})).toThrow(/not a list/);
  });

  test('commit refuses a result that would not pass config check, and writes nothing', () => {
    const text = `${BASE}users:\n  - name: a\n    password_hash: "${HASH}"\n`;
    const e = edit(text);
    e.setScalar(['users', 0], 'password_hash', 'plain text');
    expect(() => e.commit({})).toThrow(ConfigError);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  test('commit refuses when the file changed after it was read', () => {
    const e = edit(`${BASE}users:\n  - name: a\n    password_hash: "${HASH}"\n`);
    e.setScalar(['users', 0], 'enabled', false);
    writeFileSync(file, `${BASE}# someone else's edit\n`);
    expect(() => e.commit({})).toThrow(/changed while it was being edited/);
    expect(readFileSync(file, 'utf8')).toBe(`${BASE}# someone else's edit\n`);
    expect(readdirSync(dir)).toEqual(['taxiway.yaml']);
  });

  test('commit validates with the environment, as the server would load the file', () => {
    const e = edit(`${BASE}users:\n  - name: a\n    password_hash: "${HASH}"\n`);
    e.setScalar(['users', 0], 'enabled', false);
    expect(() => e.commit({ TAXIWAY_USER_A_PASSWORD_HASH: 'broken' })).toThrow(/TAXIWAY_USER_A_PASSWORD_HASH/);
  });
});
