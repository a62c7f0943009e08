import { randomBytes, scryptSync } from 'node:crypto';

/** Cheap scrypt parameters so tests do not spend seconds hashing. */
export function testHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
  return `$scrypt$N=1024,r=8,p=1$${salt.toString('base64')}$${key.toString('base64')}`;
}

export const IDS = {
  rw: '11111111-1111-4111-8111-111111111111',
  ro: '22222222-2222-4222-8222-222222222222',
  wo: '33333333-3333-4333-8333-333333333333',
  none: '44444444-4444-4444-8444-444444444444',
  anon: '55555555-5555-4555-8555-555555555555',
  other: '66666666-6666-4666-8666-666666666666',
  shared: '77777777-7777-4777-8777-777777777777',
  stix20: '88888888-8888-4888-8888-888888888888',
};

export const PASSWORDS = { alice: 'alice-pw', bob: 'bob:with:colons', carol: 'carol-pw', admin: 'admin-pw' };

/**
 * A config with every permission shape: alice reads and writes `rw`, only reads `ro`, only writes
 * `wo`, cannot see `none`; `anon` is anonymously readable; bob (group readers) only reads `ro`;
 * carol is in no group; admin maintains `rw`. `shared` opts out of the ownership rule.
 */
export function testConfigObject(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const p = (users: string[] = [], groups: string[] = []): Record<string, string[]> => ({ users, groups });
  return {
    server: { log_level: 'error' },
    discovery: { title: 'Test server', description: 'for tests', contact: 'test@example.org', default: 'api1' },
    api_roots: [
      { path: 'api1', title: 'API 1', max_content_length: 20000, default_page_size: 5, max_page_size: 10, max_objects_per_request: 50 },
      { path: 'api2', title: 'API 2' },
      { path: 'public', title: 'Public' },
      { path: 'empty', title: 'No collections yet' },
    ],
    collections: [
      { id: IDS.rw, api_root: 'api1', alias: 'rw-alias', title: 'Read-write', maintainers: p(['admin']), permissions: { read: p(['alice', 'admin'], ['readers']), write: p(['alice', 'admin']) } },
      { id: IDS.ro, api_root: 'api1', title: 'Read-only', permissions: { read: p(['alice'], ['readers']), write: p([]) } },
      { id: IDS.wo, api_root: 'api1', title: 'Write-only', permissions: { write: p(['alice']) } },
      { id: IDS.none, api_root: 'api1', title: 'Hidden', permissions: { read: p(['admin']) } },
      { id: IDS.shared, api_root: 'api1', title: 'Shared', ownership: false, permissions: { read: p([], ['$authenticated']), write: p([], ['$authenticated']) } },
      { id: IDS.stix20, api_root: 'api1', title: 'STIX 2.0 too', media_types: ['application/stix+json;version=2.1', 'application/stix+json;version=2.0'], permissions: { read: p(['alice']), write: p(['alice']) } },
      { id: IDS.other, api_root: 'api2', title: 'Admin only', permissions: { read: p(['admin']), write: p(['admin']) } },
      { id: IDS.anon, api_root: 'public', title: 'Anonymous', permissions: { anonymous_read: true, write: p(['alice']) } },
    ],
    users: [
      { name: 'alice', password_hash: testHash(PASSWORDS.alice), groups: ['analysts'] },
      { name: 'bob', password_hash: testHash(PASSWORDS.bob), groups: ['readers'] },
      { name: 'carol', password_hash: testHash(PASSWORDS.carol) },
      { name: 'admin', password_hash: testHash(PASSWORDS.admin), groups: ['admins'] },
    ],
    store: { type: 'sqlite', sqlite: { path: ':memory:' } },
    ...overrides,
  };
}

