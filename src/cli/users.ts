/**
 * `taxiway user add|passwd|enable|disable|remove NAME`: edits the users section of the configuration
 * file in place (see config-edit.ts). Passwords come from a prompt without echo, or from standard
 * input when it is not a terminal; never from the command line, where `ps` and shell history see them.
 */
import type { Command } from 'commander';
import { apiKeyId } from '../auth/keys';
import { hashPassword } from '../auth/passwords';
import { userEnvName } from '../config/env';
import { formatPath, resolveConfigPath } from '../config/load';
import { CONFIG_OPTION, ConfigEdit, EditError, processIo, runEdit, type CliIo } from './config-edit';

export const RELOAD_HINT = 'run `taxiway reload` so that the running server applies the change\n';

/** The index of user `name` in the file's users list. */
export function userIndex(edit: ConfigEdit, name: string): number {
  const users = edit.model.users;
  const index = Array.isArray(users) ? users.findIndex((u) => (u as { name?: unknown } | null)?.name === name) : -1;
  if (index === -1) throw new EditError(`there is no user '${name}' in ${edit.file}`);
  return index;
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[key] : undefined), root);
}

/** The principal lists naming a user: collection permissions and maintainers, metrics scrapers. */
function referencesTo(edit: ConfigEdit, name: string): (string | number)[][] {
  const collections = valueAt(edit.model, ['collections']);
  const candidates = (Array.isArray(collections) ? collections : []).flatMap((_c, i) => [
    ['collections', i, 'permissions', 'read'],
    ['collections', i, 'permissions', 'write'],
    ['collections', i, 'maintainers'],
  ]);
  candidates.push(['metrics']);
  return candidates.filter((p) => {
    const users = valueAt(edit.model, [...p, 'users']);
    return Array.isArray(users) && users.includes(name);
  });
}

/** A new password, asked twice on a terminal; refused when empty, with control characters, or shaped like an API key. */
async function newPassword(io: CliIo, name: string): Promise<string> {
  const password = await io.readSecret(`New password for ${name}: `);
  if (io.interactive && (await io.readSecret('Repeat it: ')) !== password) throw new EditError('the two passwords differ');
  if (password.length === 0) throw new EditError(io.interactive ? 'empty password' : 'no password on standard input');
  // RFC 7617 forbids control characters in Basic credentials: no client could send such a password.
  if (/\p{Cc}/u.test(password)) throw new EditError('the password contains control characters (a second line?)');
  if (apiKeyId(password) !== undefined) throw new EditError('the password has the form of an API key, which Taxiway would check as a key');
  return password;
}

export function register(program: Command, setExitCode: (code: number) => void, io: CliIo = processIo()): void {
  const user = program.command('user').description('add, change, disable or remove users in the configuration file (comments and layout are kept)');
  const run = (edit: () => Promise<void> | void): Promise<void> => runEdit(io, setExitCode, edit);
  const open = (config: string | undefined): ConfigEdit => ConfigEdit.open(resolveConfigPath(config, io.env));

  user
    .command('add')
    .description('add a user; the password is read from a prompt, or from standard input')
    .argument('<name>', 'user name')
    .option('-g, --group <group>', 'a group of the user (repeat for several)', (g: string, all: string[]) => [...all, g], [] as string[])
    .option(...CONFIG_OPTION)
    .action((name: string, opts: { group: string[]; config?: string }) =>
      run(async () => {
        const edit = open(opts.config);
        const users = edit.model.users;
        if (Array.isArray(users) && users.some((u) => (u as { name?: unknown } | null)?.name === name)) throw new EditError(`user '${name}' already exists`);
        const hash = await hashPassword(await newPassword(io, name));
        edit.append([], 'users', { name, password_hash: hash, ...(opts.group.length > 0 ? { groups: opts.group } : {}) });
        edit.commit(io.env);
        io.out(`added user '${name}' to ${edit.file}\n`);
        io.err(RELOAD_HINT);
      }),
    );

  user
    .command('passwd')
    .description("set a user's password, read from a prompt or from standard input")
    .argument('<name>', 'user name')
    .option(...CONFIG_OPTION)
    .action((name: string, opts: { config?: string }) =>
      run(async () => {
        const edit = open(opts.config);
        const index = userIndex(edit, name);
        const hash = await hashPassword(await newPassword(io, name));
        edit.setScalar(['users', index], 'password_hash', hash);
        edit.commit(io.env);
        io.out(`changed the password of '${name}' in ${edit.file}\n`);
        if (io.env[userEnvName(name)] !== undefined) io.err(`warning: ${userEnvName(name)} is set and overrides this hash wherever it is set\n`);
        io.err(RELOAD_HINT);
      }),
    );

  for (const [command, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    user
      .command(command)
      .description(enabled ? 'let a disabled user sign in again' : 'refuse every sign-in of a user (password and API keys), keeping the entry')
      .argument('<name>', 'user name')
      .option(...CONFIG_OPTION)
      .action((name: string, opts: { config?: string }) =>
        run(() => {
          const edit = open(opts.config);
          edit.setScalar(['users', userIndex(edit, name)], 'enabled', enabled);
          edit.commit(io.env);
          io.out(`${enabled ? 'enabled' : 'disabled'} user '${name}' in ${edit.file}\n`);
          io.err(RELOAD_HINT);
        }),
      );
  }

  user
    .command('remove')
    .description('remove a user and their API keys; refused while permissions, maintainers or metrics.users name them, unless --force')
    .argument('<name>', 'user name')
    .option('--force', 'also remove the user from every permission, maintainer and metrics list')
    .option(...CONFIG_OPTION)
    .action((name: string, opts: { force?: boolean; config?: string }) =>
      run(() => {
        const edit = open(opts.config);
        userIndex(edit, name);
        const references = referencesTo(edit, name);
        if (references.length > 0 && opts.force !== true) {
          throw new EditError(`'${name}' is named in ${references.map((p) => `${formatPath(p)}.users`).join(', ')}; remove them there first, or use --force`);
        }
        for (const p of references) edit.removeItems(p, 'users', (u) => u === name);
        edit.removeItems([], 'users', (u) => (u as { name?: unknown } | null)?.name === name);
        edit.commit(io.env);
        io.out(`removed user '${name}' from ${edit.file}${references.length > 0 ? ` and from ${references.map((p) => `${formatPath(p)}.users`).join(', ')}` : ''}\n`);
        io.err(RELOAD_HINT);
      }),
    );
}
