/**
 * `taxiway key add|list|remove`: API keys of configured users. A new key is printed once, alone on
 * standard output (so `KEY=$(taxiway key add …)` captures it); only its SHA-256 goes into the file.
 * A key is revoked by removing it and reloading the server.
 */
import type { Command } from 'commander';
import { generateApiKey } from '../auth/keys';
import { ConfigError } from '../config/errors';
import { loadConfigFile, resolveConfigPath } from '../config/load';
import type { ApiKeyConfig, TaxiwayConfig } from '../config/types';
import { CONFIG_OPTION, ConfigEdit, EditError, processIo, runEdit, type CliIo } from './config-edit';
import { EXIT_CONFIG } from './exit-codes';
import { RELOAD_HINT, userIndex } from './users';

const DAY_MS = 86_400_000;

/** Seconds precision, UTC, as the configuration schema wants it. */
function utc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * `--expires`: `Nd` (N days from now), a date (`2026-06-30`, the start of that day in UTC) or an
 * ISO 8601 time with a zone (`2026-06-30T12:00:00+02:00`). Always in the future.
 */
export function parseExpiry(text: string, now: Date): string {
  let ms: number;
  const days = /^(\d{1,5})d$/.exec(text);
  if (days) ms = now.getTime() + Number(days[1]) * DAY_MS;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    ms = Date.parse(`${text}T00:00:00Z`);
    // Date.parse accepts 2026-02-30 as 2 March.
    if (Number.isNaN(ms) || utc(ms).slice(0, 10) !== text) throw new EditError(`--expires ${text} is not a real date`);
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) ms = Date.parse(text);
  else throw new EditError(`--expires takes Nd, YYYY-MM-DD or an ISO 8601 time with a zone, not '${text}'`);
  if (Number.isNaN(ms)) throw new EditError(`--expires ${text} is not a real time`);
  if (ms <= now.getTime()) throw new EditError(`--expires ${text} is not in the future`);
  return utc(ms);
}

function keysOf(user: unknown): ApiKeyConfig[] {
  const keys = (user as { api_keys?: unknown } | null)?.api_keys;
  return Array.isArray(keys) ? (keys as ApiKeyConfig[]) : [];
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_h, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ')).join('\n') + '\n';
}

export function register(program: Command, setExitCode: (code: number) => void, io: CliIo = processIo()): void {
  const key = program.command('key').description("API keys of configured users (stored as SHA-256 digests in the configuration file)");
  const run = (edit: () => Promise<void> | void): Promise<void> => runEdit(io, setExitCode, edit);
  const open = (config: string | undefined): ConfigEdit => ConfigEdit.open(resolveConfigPath(config, io.env));

  key
    .command('add')
    .description('make a key for a user and print it once on standard output')
    .argument('<user>', 'the user the key signs in as')
    .requiredOption('-n, --name <name>', 'what the key is for, e.g. the client that uses it')
    .option('-e, --expires <when>', 'Nd (days from now), YYYY-MM-DD (start of that day, UTC) or an ISO 8601 time')
    .option(...CONFIG_OPTION)
    .action((user: string, opts: { name: string; expires?: string; config?: string }) =>
      run(() => {
        const now = io.now();
        const expires = opts.expires === undefined ? undefined : parseExpiry(opts.expires, now);
        const edit = open(opts.config);
        const index = userIndex(edit, user);
        const users = edit.model.users as unknown[];
        const made = generateApiKey(new Set(users.flatMap((u) => keysOf(u).map((k) => k.id))));
        const entry: ApiKeyConfig = { id: made.id, name: opts.name, sha256: made.sha256, created: utc(now.getTime()), ...(expires ? { expires } : {}) };
        edit.append(['users', index], 'api_keys', entry);
        edit.commit(io.env);
        io.out(`${made.key}\n`);
        io.err(`added key ${made.id} ('${opts.name}') for '${user}'${expires ? `, expiring ${expires}` : ''}. It is shown only this once: give it to the client now.\n`);
        if ((users[index] as { enabled?: unknown }).enabled === false) io.err(`warning: '${user}' is disabled, so the key does not work until \`taxiway user enable ${user}\`\n`);
        io.err(RELOAD_HINT);
      }),
    );

  key
    .command('list')
    .description('list keys (ids, names, creation and expiry; never the keys)')
    .argument('[user]', 'only this user')
    .option(...CONFIG_OPTION)
    .action((user: string | undefined, opts: { config?: string }) => {
      let config: TaxiwayConfig;
      try {
        config = loadConfigFile(resolveConfigPath(opts.config, io.env), io.env);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        io.err(`${err.message}\n`);
        return setExitCode(EXIT_CONFIG);
      }
      const users = config.users.filter((u) => user === undefined || u.name === user);
      if (user !== undefined && users.length === 0) {
        io.err(`there is no user '${user}'\n`);
        return setExitCode(EXIT_CONFIG);
      }
      const now = io.now().getTime();
      const rows = users.flatMap((u) =>
        u.api_keys.map((k) => {
          const expired = k.expires !== undefined && Date.parse(k.expires) <= now;
          return [u.name, k.id, k.name, k.created ?? '', `${k.expires ?? 'never'}${expired ? ' (expired)' : ''}${u.enabled ? '' : ' (user disabled)'}`];
        }),
      );
      if (rows.length === 0) io.out(user === undefined ? 'no API keys\n' : `'${user}' has no API keys\n`);
      else io.out(table([['USER', 'ID', 'NAME', 'CREATED', 'EXPIRES'], ...rows]));
    });

  key
    .command('remove')
    .description('revoke a key: remove it from the configuration file (then reload the server)')
    .argument('<user>', "the key's user")
    .argument('<id>', 'the key id (the 8 characters after twk_)')
    .option(...CONFIG_OPTION)
    .action((user: string, id: string, opts: { config?: string }) =>
      run(() => {
        const edit = open(opts.config);
        const index = userIndex(edit, user);
        if (edit.removeItems(['users', index], 'api_keys', (k) => (k as { id?: unknown } | null)?.id === id) === 0) throw new EditError(`'${user}' has no key ${id}`);
        edit.commit(io.env);
        io.out(`removed key ${id} of '${user}' from ${edit.file}\n`);
        io.err(RELOAD_HINT);
      }),
    );
}
