import { isIP } from 'node:net';
import { parsePasswordHash } from './password-hash';
import type { PrincipalList, TaxiwayConfig } from './types';

export interface SemanticProblem {
  path: (string | number)[];
  message: string;
}

/** Group every authenticated user belongs to; usable in permissions and maintainers. */
export const AUTHENTICATED_GROUP = '$authenticated';

/** Whether a time the schema's pattern accepted names a real instant (Date.parse takes 30 February). */
function isRealUtcTime(text: string): boolean {
  const ms = Date.parse(text);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === text.slice(0, 19);
}

/** Rules the JSON Schema cannot express: uniqueness, references between sections, hashes. */
export function checkSemantics(config: TaxiwayConfig): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const rootPaths = new Map<string, number>();

  config.api_roots.forEach((root, i) => {
    if (root.path === 'taxii2') problems.push({ path: ['api_roots', i, 'path'], message: "'taxii2' is reserved for the discovery endpoint" });
    if (rootPaths.has(root.path)) problems.push({ path: ['api_roots', i, 'path'], message: `duplicate API root path '${root.path}' (also api_roots[${rootPaths.get(root.path)}])` });
    else rootPaths.set(root.path, i);
    if (root.default_page_size > root.max_page_size) {
      problems.push({ path: ['api_roots', i, 'default_page_size'], message: `default_page_size ${root.default_page_size} is larger than max_page_size ${root.max_page_size}` });
    }
  });

  if (config.discovery.default !== undefined && !rootPaths.has(config.discovery.default)) {
    problems.push({ path: ['discovery', 'default'], message: `no API root has the path '${config.discovery.default}'` });
  }

  const userNames = new Map<string, number>();
  const groups = new Set<string>([AUTHENTICATED_GROUP]);
  // Key ids are unique across users: a presented key is found by its id alone.
  const keyIds = new Map<string, string>();
  config.users.forEach((user, i) => {
    if (userNames.has(user.name)) problems.push({ path: ['users', i, 'name'], message: `duplicate user '${user.name}' (also users[${userNames.get(user.name)}])` });
    else userNames.set(user.name, i);
    user.groups.forEach((g) => groups.add(g));
    const parsed = parsePasswordHash(user.password_hash);
    if (typeof parsed === 'string') problems.push({ path: ['users', i, 'password_hash'], message: parsed });
    user.api_keys.forEach((key, j) => {
      const where = `users[${i}].api_keys[${j}]`;
      if (keyIds.has(key.id)) problems.push({ path: ['users', i, 'api_keys', j, 'id'], message: `duplicate API key id '${key.id}' (also ${keyIds.get(key.id)})` });
      else keyIds.set(key.id, where);
      if (key.expires !== undefined && !isRealUtcTime(key.expires)) {
        problems.push({ path: ['users', i, 'api_keys', j, 'expires'], message: `'${key.expires}' is not a valid UTC time` });
      }
    });
  });

  const ids = new Map<string, number>();
  const aliases = new Map<string, number>();
  config.collections.forEach((c, i) => {
    const id = c.id.toLowerCase();
    if (ids.has(id)) problems.push({ path: ['collections', i, 'id'], message: `duplicate collection id ${c.id} (also collections[${ids.get(id)}])` });
    else ids.set(id, i);
    if (!rootPaths.has(c.api_root)) problems.push({ path: ['collections', i, 'api_root'], message: `no API root has the path '${c.api_root}'` });
    if (c.alias !== undefined) {
      const key = `${c.api_root}/${c.alias}`;
      if (aliases.has(key)) problems.push({ path: ['collections', i, 'alias'], message: `alias '${c.alias}' is already used in API root '${c.api_root}' (collections[${aliases.get(key)}])` });
      else aliases.set(key, i);
    }
    const lists: [string[], PrincipalList][] = [
      [['permissions', 'read'], c.permissions.read],
      [['permissions', 'write'], c.permissions.write],
      [['maintainers'], c.maintainers],
    ];
    for (const [where, list] of lists) {
      list.users.forEach((u, j) => {
        if (!userNames.has(u)) problems.push({ path: ['collections', i, ...where, 'users', j], message: `unknown user '${u}'` });
      });
      list.groups.forEach((g, j) => {
        if (!groups.has(g)) problems.push({ path: ['collections', i, ...where, 'groups', j], message: `no user is in group '${g}' (use '${AUTHENTICATED_GROUP}' for every signed-in user)` });
      });
    }
  });

  config.metrics.allow_addresses.forEach((entry, i) => {
    if (!isAddressOrRange(entry)) problems.push({ path: ['metrics', 'allow_addresses', i], message: `'${entry}' is not an IP address or a CIDR range such as 10.0.0.0/8` });
  });
  config.metrics.users.forEach((u, i) => {
    if (!userNames.has(u)) problems.push({ path: ['metrics', 'users', i], message: `unknown user '${u}'` });
  });

  if (config.store.type === 'mongodb' && !config.store.mongodb?.uri) {
    problems.push({ path: ['store', 'mongodb', 'uri'], message: 'store type mongodb needs store.mongodb.uri (or TAXIWAY_MONGODB_URI)' });
  }
  return problems;
}

/** An IPv4 or IPv6 address, or one with a prefix length valid for its family. */
function isAddressOrRange(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
