/** What a result needs beside it to be comparable: the machine, the software and the settings. */
import { spawnSync } from 'node:child_process';
import os from 'node:os';

export interface Machine {
  date: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  gitCommit: string;
  /** Uncommitted changes in the working tree when the run was made. */
  gitDirty: boolean;
}

function git(repoRoot: string, args: string[]): string | undefined {
  const result = spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

export function describeMachine(repoRoot: string): Machine {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    gitCommit: git(repoRoot, ['rev-parse', 'HEAD']) ?? 'unknown',
    gitDirty: (git(repoRoot, ['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
  };
}
