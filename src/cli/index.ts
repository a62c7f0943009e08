import { Command, InvalidArgumentError, Option } from 'commander';
import { hashPassword } from '../auth/passwords';
import { ConfigError } from '../config/errors';
import { loadConfigFile, resolveConfigPath } from '../config/load';
import type { TaxiwayConfig } from '../config/types';
import { createLogger } from '../logging';
import cluster from 'node:cluster';
import { runWorker } from '../cluster/worker';
import { EXIT_CONFIG } from './exit-codes';
import { register as registerExport } from './export';
import { register as registerImport } from './import';
import { register as registerKeys } from './keys';
import { serve, signalRunningServer } from './serve';
import { register as registerStats } from './stats';
import { register as registerUsers } from './users';
import { VALIDATION_POLICIES, type ValidationPolicy } from '../stix/policy';
import { runValidate } from './validate';
import { runCopy } from './copy';
import { openStoreSpec } from './store-spec';
import { readStdin } from './stdin';

/** Exit codes: 0 success, 1 failure (e.g. invalid objects), 2 bad configuration or usage (src/cli/exit-codes.ts). */
export { EXIT_CONFIG } from './exit-codes';

function workers(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 256) throw new InvalidArgumentError("must be a number of processes (1-256) or 'auto'");
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('must be a port number (0–65535)');
  return n;
}

function loadOrReport(file: string | undefined): TaxiwayConfig | undefined {
  const path = resolveConfigPath(file);
  try {
    return loadConfigFile(path);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return undefined;
    }
    throw err;
  }
}

/** What an operator should hear about at start: development accounts, no users, plain HTTP. */
export function startupWarnings(config: TaxiwayConfig): string[] {
  const warnings = config.users
    .filter((u) => u.development && u.enabled)
    .map((u) => `development user '${u.name}' is enabled: its password is published in the README; disable or remove it before production use`);
  if (!config.users.some((u) => u.enabled)) warnings.push('no users are enabled: only anonymous-readable collections are reachable');
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(config.server.host);
  if (!config.server.tls && !loopback) {
    warnings.push(`serving plain HTTP on ${config.server.host}: TAXII clients must use HTTPS, so terminate TLS at a proxy or set server.tls`);
  }
  if (config.server.public_base_url === undefined && !loopback) {
    warnings.push(
      `server.public_base_url is not set: discovery links are built from each request's Host header; set it to the URL clients use (and server.allowed_hosts to refuse other hosts)`,
    );
  }
  return warnings;
}

export async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  const program = new Command()
    .name('taxiway')
    .description('A STIX/TAXII 2.1 server')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('serve')
    .description('run the TAXII server')
    .option('-c, --config <file>', 'YAML configuration (default: $TAXIWAY_CONFIG, else config/taxiway.yaml)')
    .option('--host <host>', 'address to listen on (overrides server.host)')
    .option('-p, --port <port>', 'port to listen on (overrides server.port)', port)
    .option('-w, --workers <n>', "processes sharing the port and the store; 'auto' = available cores (overrides server.workers)", workers)
    .action(async (opts: { config?: string; host?: string; port?: number; workers?: number | 'auto' }) => {
      // A cluster worker takes its configuration from the primary, which validated it.
      if (cluster.isWorker) {
        code = await runWorker();
        return;
      }
      const configPath = resolveConfigPath(opts.config);
      const config = loadOrReport(configPath);
      if (!config) {
        code = EXIT_CONFIG;
        return;
      }
      code = await serve({ ...opts, configPath, config, warnings: startupWarnings(config) });
    });

  program
    .command('reload')
    .description('make the running server re-read its configuration (SIGHUP to the process in server.pid_file)')
    .option('-c, --config <file>', 'YAML configuration (default: $TAXIWAY_CONFIG, else config/taxiway.yaml)')
    .action((opts: { config?: string }) => {
      const config = loadOrReport(opts.config);
      code = config ? signalRunningServer(config, 'SIGHUP') : EXIT_CONFIG;
    });

  program
    .command('hash-password')
    .description('read a password from standard input and print the hash to put in the YAML users section')
    .action(async () => {
      const password = (await readStdin()).replace(/\r?\n$/, '');
      if (password.length === 0) {
        process.stderr.write('no password on standard input\n');
        code = EXIT_CONFIG;
        return;
      }
      process.stdout.write(`${await hashPassword(password)}\n`);
    });

  const config = program.command('config').description('configuration tools');
  config
    .command('check')
    .argument('<file>', 'YAML configuration file')
    .description('validate a configuration file; exit 0 when valid, 2 otherwise')
    .action((file: string) => {
      const loaded = loadOrReport(file);
      if (!loaded) code = EXIT_CONFIG;
      else process.stdout.write(`${file}: valid (${loaded.api_roots.length} API roots, ${loaded.collections.length} collections, ${loaded.users.length} users, store ${loaded.store.type})\n`);
    });

  program
    .command('validate')
    .description('validate STIX 2.1 bundles, envelopes or objects offline; exit 1 when anything is invalid')
    .argument('<files...>', 'JSON files')
    .option('--json', 'print one JSON line per failing object')
    .addOption(new Option('--policy <policy>', 'validation policy').choices(VALIDATION_POLICIES).default('standard'))
    .option('--accept-stix20', 'accept STIX 2.0 objects (no spec_version)')
    .action(async (files: string[], opts: { json?: boolean; policy: ValidationPolicy; acceptStix20?: boolean }) => {
      code = await runValidate(files, { json: opts.json === true, policy: opts.policy, acceptStix20: opts.acceptStix20 === true }, process.stdout);
    });

  program
    .command('copy')
    .description('copy every collection, version, date_added and status from one store to another (resumable)')
    .requiredOption('--from <store>', 'source: a config file, sqlite:PATH, or a mongodb:// URI (database from the URI path)')
    .requiredOption('--to <store>', 'target, in the same forms')
    .option('--no-progress', 'no progress bar')
    .action(async (opts: { from: string; to: string; progress: boolean }) => {
      const logger = createLogger({ log_level: 'warn', log_format: 'pretty' });
      const from = await openStoreSpec(opts.from, logger);
      const to = await openStoreSpec(opts.to, logger);
      try {
        await runCopy(from, to, { progress: opts.progress && process.stderr.isTTY === true, out: process.stderr });
      } finally {
        await Promise.allSettled([from.close(), to.close()]);
      }
    });

  const setCode = (c: number): void => {
    code = c;
  };
  registerImport(program, setCode);
  registerExport(program, setCode);
  registerStats(program, setCode);
  registerUsers(program, setCode);
  registerKeys(program, setCode);

  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    const exitCode = (err as { exitCode?: unknown }).exitCode;
    if (typeof exitCode === 'number') return exitCode === 0 ? 0 : EXIT_CONFIG;
    throw err;
  }
  return code;
}
