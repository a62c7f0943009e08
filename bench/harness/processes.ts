/**
 * Child processes of the harness, each pinned to a core with taskset, and the guarantee that none
 * outlives the harness: they are stopped on normal exit, on an exception, and on Ctrl-C or SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/** Enough of a child's output to show why it failed to start or what it complained about. */
const OUTPUT_TAIL_BYTES = 64 * 1024;
const STOP_GRACE_MS = 5000;
/** After Ctrl-C nobody waits for a clean shutdown: the data is thrown away anyway. */
const INTERRUPT_GRACE_MS = 1000;

export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly process: ChildProcess;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<string>;
  hasExited(): boolean;
  /** The last 64 KiB of its stdout and stderr, interleaved. */
  output(): string;
}

let tasksetChecked: boolean | undefined;

/** taskset exists (util-linux); without it processes run unpinned and the report says so. */
export function canPin(): boolean {
  tasksetChecked ??= spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
  return tasksetChecked;
}

/**
 * Pins this process (every thread, `-a`: libuv's pool and V8's helpers too) to one core, so the load
 * generator never competes with the server it measures. Returns why it could not, or undefined.
 */
export function pinSelf(cpu: number, cores: number): string | undefined {
  if (cores < 2) return `only ${cores} core: server and client share it`;
  if (!canPin()) return 'taskset not found: processes are not pinned';
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' });
  return result.status === 0 ? undefined : `taskset could not pin the harness to core ${cpu}`;
}

export class ChildRegistry {
  private readonly children = new Set<Child>();
  private readonly cleanups: (() => void)[] = [];
  private interruptedBy: string | undefined;
  /** Aborted on Ctrl-C or SIGTERM, so clients stop sending and the servers can go idle and exit. */
  readonly abort = new AbortController();

  constructor() {
    // Synchronous last resort: whatever is still running when the harness exits is killed.
    process.on('exit', () => this.killAllNow());
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(signal, () => void this.interrupt(signal));
    }
  }

  /** Something to undo synchronously at exit (temporary folders). */
  onExit(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  removeOnExit(dir: string): void {
    this.onExit(() => rmSync(dir, { recursive: true, force: true }));
  }

  /** Starts `node args…`, pinned to `cpu` when taskset is available (taskset execs node: same pid). */
  spawnNode(name: string, args: readonly string[], cpu: number | undefined, env: NodeJS.ProcessEnv = process.env): Child {
    const pinned = cpu !== undefined && canPin();
    const command = pinned ? 'taskset' : process.execPath;
    const fullArgs = pinned ? ['-c', String(cpu), process.execPath, ...args] : [...args];
    const proc = spawn(command, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let tail = '';
    const keep = (chunk: Buffer): void => {
      tail += chunk.toString('utf8');
      // Cut at a line boundary so the first line kept is whole.
      if (tail.length > OUTPUT_TAIL_BYTES) tail = tail.slice(tail.indexOf('\n', tail.length - OUTPUT_TAIL_BYTES) + 1);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    let done = false;
    const exited = new Promise<string>((resolve) => {
      proc.once('exit', (code, signal) => {
        done = true;
        resolve(signal ?? String(code));
      });
      proc.once('error', (err) => {
        done = true;
        keep(Buffer.from(`\n${err.message}\n`));
        resolve('spawn error');
      });
    });
    if (proc.pid === undefined) throw new Error(`could not start ${name}: ${command} ${fullArgs.join(' ')}`);
    const child: Child = { name, pid: proc.pid, process: proc, exited, hasExited: () => done, output: () => tail };
    this.children.add(child);
    void exited.then(() => this.children.delete(child));
    return child;
  }

  /** SIGTERM (the server shuts down cleanly), then SIGKILL after a grace period. */
  async stop(child: Child): Promise<void> {
    if (child.hasExited()) return;
    child.process.kill('SIGTERM');
    const timer = setTimeout(() => child.process.kill('SIGKILL'), this.interrupted ? INTERRUPT_GRACE_MS : STOP_GRACE_MS);
    await child.exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.children].map((c) => this.stop(c)));
  }

  private killAllNow(): void {
    for (const child of this.children) if (!child.hasExited()) child.process.kill('SIGKILL');
    for (const cleanup of this.cleanups.splice(0)) {
      try {
        cleanup();
      } catch {
        // Best effort: a folder already gone is fine.
      }
    }
  }

  get interrupted(): boolean {
    return this.interruptedBy !== undefined;
  }

  /**
   * Resolves at once normally; after a signal it never resolves, so the main flow, whose requests
   * are failing because the servers are being stopped, cannot go on to report those failures as
   * results while the signal handler finishes and exits.
   */
  unlessInterrupted(): Promise<void> {
    return this.interrupted ? new Promise<void>(() => undefined) : Promise.resolve();
  }

  private async interrupt(signal: string): Promise<void> {
    if (this.interruptedBy !== undefined) return;
    this.interruptedBy = signal;
    process.stderr.write(`\n${signal}: stopping ${this.children.size} child process(es)\n`);
    this.abort.abort();
    await this.stopAll();
    this.killAllNow();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  }
}
