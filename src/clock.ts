/**
 * Time, injected. Two kinds, kept apart on purpose:
 *
 * - `Clock`: wall-clock microseconds since the epoch, the one source of every timestamp Taxiway
 *   writes (`date_added`, status request and expiry times). Tests freeze or rewind it.
 * - `ElapsedClock`: wall-clock milliseconds used only to measure elapsed time (write leases, login
 *   caches, throttles). Tests that freeze `Clock` leave this one running, so leases still expire.
 */

export type Clock = () => bigint;
export type ElapsedClock = () => number;

const hrtimeOrigin = process.hrtime.bigint();
const wallOrigin = BigInt(Date.now()) * 1000n;

/** Wall-clock microseconds, with sub-millisecond resolution from the monotonic clock. */
export const systemClock: Clock = () => wallOrigin + (process.hrtime.bigint() - hrtimeOrigin) / 1000n;

export const systemElapsed: ElapsedClock = () => Date.now();
