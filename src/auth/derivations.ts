import { LoginThrottled } from './failures';

/**
 * Caps the password derivations (scrypt) running at once in this process. A scrypt derivation takes
 * a core for about 100 ms, so without a cap a flood of wrong passwords makes every correct login
 * wait behind it. Waiting attempts are served oldest first, except that attempts which are suspect
 * when a slot frees up (recent failures from their address or for their user from it) go after all
 * clean ones. When too many wait, the newest suspect waiter is refused to make room for a clean
 * one; a suspect newcomer, or any newcomer when only clean attempts wait, is refused outright.
 */

interface Waiter {
  suspect: () => boolean;
  start: () => void;
  refuse: (error: Error) => void;
}

/** Queued attempts per running slot before newcomers are refused (about 1.6 s of scrypt at N=32768). */
const WAITING_PER_SLOT = 16;
/** Refusals for a full queue ask the client to come back this soon: the queue drains quickly. */
const BUSY_RETRY_SECONDS = 1;

export class DerivationLimiter {
  private active = 0;
  private readonly queue: Waiter[] = [];
  private dispatchScheduled = false;

  constructor(
    readonly maxConcurrent: number,
    readonly maxWaiting = maxConcurrent * WAITING_PER_SLOT,
  ) {}

  get running(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Runs `task` in a free slot; `suspect` is asked again whenever the attempt is picked or evicted. */
  run<T>(task: () => Promise<T>, suspect: () => boolean = () => false): Promise<T> {
    if (this.active < this.maxConcurrent && this.queue.length === 0) return this.start(task);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        suspect,
        start: () => this.start(task).then(resolve, reject),
        refuse: reject,
      };
      if (this.queue.length >= this.maxWaiting && !this.makeRoomFor(waiter)) {
        reject(new LoginThrottled(BUSY_RETRY_SECONDS, 'busy'));
        return;
      }
      this.queue.push(waiter);
      this.scheduleDispatch();
    });
  }

  private start<T>(task: () => Promise<T>): Promise<T> {
    this.active++;
    return task().finally(() => {
      this.active--;
      this.scheduleDispatch();
    });
  }

  private makeRoomFor(newcomer: Waiter): boolean {
    if (newcomer.suspect()) return false;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].suspect()) {
        const [evicted] = this.queue.splice(i, 1);
        evicted.refuse(new LoginThrottled(BUSY_RETRY_SECONDS, 'busy'));
        return true;
      }
    }
    return false;
  }

  /**
   * Deferred to the next turn of the event loop, so the attempt that just finished has recorded its
   * failure in the throttle before the next one is picked: its siblings then count as suspect.
   */
  private scheduleDispatch(): void {
    if (this.dispatchScheduled || this.queue.length === 0) return;
    this.dispatchScheduled = true;
    setImmediate(() => {
      this.dispatchScheduled = false;
      while (this.active < this.maxConcurrent && this.queue.length > 0) {
        const clean = this.queue.findIndex((w) => !w.suspect());
        const [next] = this.queue.splice(clean === -1 ? 0 : clean, 1);
        next.start();
      }
    });
  }
}
