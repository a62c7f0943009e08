/**
 * Running CLI commands in-process from tests: what they write to stdout and stderr, and the exit
 * code they set or that commander raises on a usage error.
 */
import { Command } from 'commander';
import type { CliIo } from '../../src/cli/config-edit';

/** Captures process.stdout and process.stderr until `restore` (for commands that write to them). */
export function captureStdio(): { out: () => string; err: () => string; restore: () => void } {
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  return { out: () => out, err: () => err, restore: () => (o.mockRestore(), e.mockRestore()) };
}

export interface CommandRun {
  code: number;
  out: string;
  err: string;
}

type Register = (program: Command, setExitCode: (code: number) => void, io: CliIo) => void;

/**
 * Runs `taxiway ARGS…` through one command module's `register`, with `io` given everything but
 * the output, which is collected. A commander error ends the run with the exit code it carries;
 * anything else thrown, with 99.
 */
export async function runCommand(register: Register, args: readonly string[], io: Omit<CliIo, 'out' | 'err'>): Promise<CommandRun> {
  const run: CommandRun = { code: 0, out: '', err: '' };
  const fullIo: CliIo = { ...io, out: (t) => void (run.out += t), err: (t) => void (run.err += t) };
  const program = new Command().exitOverride().configureOutput({ writeErr: (t) => void (run.err += t), writeOut: (t) => void (run.out += t) });
  register(program, (code) => (run.code = code), fullIo);
  try {
    await program.parseAsync(['node', 'taxiway', ...args]);
  } catch (err) {
    run.code = (err as { exitCode?: number }).exitCode ?? 99;
  }
  return run;
}
