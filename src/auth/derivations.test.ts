import { DerivationLimiter } from './derivations';
import { LoginThrottled } from './failures';

/** A task that runs until released, recording when it started. */
function gatedTask(log: string[], name: string): { task: () => Promise<string>; release: () => void } {
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    task: async () => {
      log.push(name);
      await gate;
      return name;
    },
    release: () => release(),
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('DerivationLimiter', () => {
  test('never runs more than maxConcurrent tasks; waiting ones run oldest first', async () => {
    const limiter = new DerivationLimiter(2);
    const started: string[] = [];
    const tasks = ['a', 'b', 'c', 'd'].map((n) => gatedTask(started, n));
    const results = tasks.map((t) => limiter.run(t.task));
    await settle();
    expect(started).toEqual(['a', 'b']);
    expect([limiter.running, limiter.waiting]).toEqual([2, 2]);
    tasks[1].release();
    await settle();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    for (const t of tasks) t.release();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect([limiter.running, limiter.waiting]).toEqual([0, 0]);
  });

  test('suspect attempts wait behind clean ones, judged when a slot frees up', async () => {
    const limiter = new DerivationLimiter(1);
    const started: string[] = [];
    const suspects = new Set<string>();
    const first = gatedTask(started, 'first');
    void limiter.run(first.task);
    const waiting = ['s1', 's2', 'clean', 'late-suspect'].map((n) => {
      const t = gatedTask(started, n);
      t.release();
      return limiter.run(t.task, () => suspects.has(n));
    });
    suspects.add('s1').add('s2').add('late-suspect');
    first.release();
    await Promise.all(waiting);
    expect(started).toEqual(['first', 'clean', 's1', 's2', 'late-suspect']);
  });

  test('a full queue refuses suspect newcomers, and evicts its newest suspect waiter for a clean one', async () => {
    const limiter = new DerivationLimiter(1, 2);
    const started: string[] = [];
    const running = gatedTask(started, 'running');
    void limiter.run(running.task);
    const outcome = (p: Promise<string>): Promise<string> => p.catch((err: unknown) => (err instanceof LoginThrottled ? `refused:${err.reason}:${err.retryAfterSeconds}` : 'error'));
    const results = [
      outcome(limiter.run(gatedTask(started, 'clean1').task)),
      outcome(limiter.run(gatedTask(started, 'suspect1').task, () => true)),
      outcome(limiter.run(gatedTask(started, 'suspect2').task, () => true)),
    ];
    expect(await results[2]).toBe('refused:busy:1');
    const clean2 = gatedTask(started, 'clean2');
    results.push(outcome(limiter.run(clean2.task)));
    expect(await results[1]).toBe('refused:busy:1');
    expect(await outcome(limiter.run(gatedTask(started, 'clean3').task))).toBe('refused:busy:1');
    expect(limiter.waiting).toBe(2);
  });

  test('a failing task frees its slot', async () => {
    const limiter = new DerivationLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(() => Promise.resolve(1))).resolves.toBe(1);
  });
});
