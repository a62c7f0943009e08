import { parse as parseYamlScalar } from 'yaml';

/**
 * Environment overrides. Every variable is named `TAXIWAY_*`:
 *
 * - `TAXIWAY_<SECTION>__<KEY>[__<KEY>…]` sets a key of a map section (`server`, `discovery`,
 *   `store`, `status`, `auth`, `metrics`, `console`); `__` descends one level and the value is
 *   parsed as YAML (so flow lists work), e.g. `TAXIWAY_SERVER__PORT=9000`,
 *   `TAXIWAY_STORE__TYPE=mongodb`, `TAXIWAY_CONSOLE__SESSION_KEYS='["…", "…"]'`.
 * - Shortcuts for the values operators most often keep out of files:
 *   `TAXIWAY_MONGODB_URI` (store.mongodb.uri), `TAXIWAY_SQLITE_PATH` (store.sqlite.path),
 *   `TAXIWAY_HOST`, `TAXIWAY_PORT`, and `LOG_LEVEL` (server.log_level).
 * - `TAXIWAY_USER_<NAME>_PASSWORD_HASH` sets the password hash of user NAME (upper-cased, every
 *   character other than A–Z and 0–9 written as `_`), so hashes need not live in the file.
 */

export interface EnvOverride {
  variable: string;
  path: (string | number)[];
  value: unknown;
}

const SHORTCUTS: Record<string, (string | number)[]> = {
  TAXIWAY_MONGODB_URI: ['store', 'mongodb', 'uri'],
  TAXIWAY_SQLITE_PATH: ['store', 'sqlite', 'path'],
  TAXIWAY_HOST: ['server', 'host'],
  TAXIWAY_PORT: ['server', 'port'],
  LOG_LEVEL: ['server', 'log_level'],
};

/** Variables that configure something other than the config file's content. */
const NOT_OVERRIDES = new Set(['TAXIWAY_CONFIG', 'TAXIWAY_REQUIRE_MONGO', 'TAXIWAY_CACHE']);

function scalar(text: string): unknown {
  try {
    return parseYamlScalar(text);
  } catch {
    return text;
  }
}

export function userEnvName(user: string): string {
  return `TAXIWAY_USER_${user.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PASSWORD_HASH`;
}

/** Collects the overrides present in `env`; user hashes need the user list to resolve. */
export function collectEnvOverrides(env: NodeJS.ProcessEnv, userNames: readonly string[]): EnvOverride[] {
  const overrides: EnvOverride[] = [];
  for (const [variable, raw] of Object.entries(env)) {
    if (raw === undefined || NOT_OVERRIDES.has(variable)) continue;
    const shortcut = SHORTCUTS[variable];
    if (shortcut) {
      // A URI or path stays a string even when it looks like a number.
      const value = variable === 'TAXIWAY_PORT' ? scalar(raw) : raw;
      overrides.push({ variable, path: shortcut, value });
    } else if (variable.startsWith('TAXIWAY_') && variable.includes('__')) {
      const path = variable.slice('TAXIWAY_'.length).split('__').map((p) => p.toLowerCase());
      overrides.push({ variable, path, value: scalar(raw) });
    }
  }
  userNames.forEach((name, index) => {
    const variable = userEnvName(name);
    const raw = env[variable];
    if (raw !== undefined) overrides.push({ variable, path: ['users', index, 'password_hash'], value: raw });
  });
  return overrides;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Writes an override into the raw configuration object, creating maps on the way. */
export function applyOverride(target: Record<string, unknown>, override: EnvOverride): void {
  let node: Record<string, unknown> | unknown[] = target;
  override.path.forEach((key, i) => {
    const last = i === override.path.length - 1;
    const container = node as Record<string | number, unknown>;
    if (last) {
      container[key] = override.value;
      return;
    }
    const next = container[key];
    if (!isPlainObject(next) && !Array.isArray(next)) container[key] = {};
    node = container[key] as Record<string, unknown>;
  });
}
