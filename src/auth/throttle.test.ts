import { RateLimiterMemory } from 'rate-limiter-flexible';
import { LoginThrottled } from './failures';
import { addressKey, createLoginThrottle, type CounterSpec, type LoginThrottle, type ThrottleSettings } from './throttle';

const SETTINGS: ThrottleSettings = { window_seconds: 60, address_failures: 6, pair_failures: 3, user_slowdown_after: 2, max_delay_ms: 1000 };

function throttle(settings: Partial<ThrottleSettings> = {}): { throttle: LoginThrottle; delays: number[] } {
  const delays: number[] = [];
  return { throttle: createLoginThrottle({ ...SETTINGS, ...settings }, { sleep: async (ms) => void delays.push(ms) }), delays };
}

async function refusal(promise: Promise<void>): Promise<LoginThrottled | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    if (err instanceof LoginThrottled) return err;
    throw err;
  }
}

async function fail(t: LoginThrottle, address: string, user: string | undefined, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await t.recordFailure({ address, user });
}

describe('addressKey', () => {
  test.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.7', '64:ff9b:0:0::/64'],
    ['unknown', 'unknown'],
  ])('%s counts as %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});

describe('login throttle', () => {
  afterEach(() => jest.useRealTimers());

  test('a (user, address) pair is refused after pair_failures, for the rest of the window; other pairs are not', async () => {
    jest.useFakeTimers({ now: 1_000_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const { throttle: t } = throttle();
    await fail(t, '192.0.2.1', 'alice', 2);
    await expect(t.beforeAttempt({ address: '192.0.2.1', user: 'alice' })).resolves.toBeUndefined();
    await fail(t, '192.0.2.1', 'alice', 1);
    jest.advanceTimersByTime(20_000);
    const refused = await refusal(t.beforeAttempt({ address: '192.0.2.1', user: 'alice' }));
    expect(refused?.retryAfterSeconds).toBe(40);
    expect(refused?.reason).toBe('failures');
    await expect(t.beforeAttempt({ address: '192.0.2.1', user: 'bob' })).resolves.toBeUndefined();
    await expect(t.beforeAttempt({ address: '192.0.2.2', user: 'alice' })).resolves.toBeUndefined();
    jest.advanceTimersByTime(40_001);
    await expect(t.beforeAttempt({ address: '192.0.2.1', user: 'alice' })).resolves.toBeUndefined();
  });

  test('an address is refused after address_failures, whichever users it tried', async () => {
    const { throttle: t } = throttle();
    for (const user of ['a', 'b', 'c', 'd', 'e']) await t.recordFailure({ address: '192.0.2.1', user });
    await expect(t.beforeAttempt({ address: '192.0.2.1', user: 'f' })).resolves.toBeUndefined();
    await t.recordFailure({ address: '192.0.2.1' });
    expect(await refusal(t.beforeAttempt({ address: '192.0.2.1', user: 'f' }))).toBeInstanceOf(LoginThrottled);
    expect(await refusal(t.beforeAttempt({ address: '192.0.2.1' }))).toBeInstanceOf(LoginThrottled);
  });

  test('an IPv6 client is counted by its /64', async () => {
    const { throttle: t } = throttle();
    for (let i = 1; i <= 3; i++) await t.recordFailure({ address: `2001:db8:1:2::${i}`, user: 'alice' });
    expect(await refusal(t.beforeAttempt({ address: '2001:db8:1:2:aaaa::1', user: 'alice' }))).toBeInstanceOf(LoginThrottled);
    await expect(t.beforeAttempt({ address: '2001:db8:1:3::1', user: 'alice' })).resolves.toBeUndefined();
  });

  test("a user's failures from many addresses slow that user's attempts, growing to max_delay_ms, never refusing them", async () => {
    const { throttle: t, delays } = throttle();
    for (let i = 0; i < 12; i++) {
      await t.beforeAttempt({ address: `198.51.100.${i}`, user: 'alice' });
      await t.recordFailure({ address: `198.51.100.${i}`, user: 'alice' });
    }
    expect(delays).toEqual([250, 500, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000]);
    delays.length = 0;
    await t.beforeAttempt({ address: '203.0.113.9', user: 'alice' });
    await t.beforeAttempt({ address: '203.0.113.9', user: 'alice' }, { slowdown: false });
    await t.beforeAttempt({ address: '203.0.113.9', user: 'bob' });
    expect(delays).toEqual([1000]);
  });

  test('success forgets the failures of that pair only, not of the address', async () => {
    const { throttle: t } = throttle();
    await fail(t, '192.0.2.1', 'alice', 2);
    await fail(t, '192.0.2.1', undefined, 1);
    await t.recordSuccess({ address: '192.0.2.1', user: 'alice' });
    await fail(t, '192.0.2.1', 'alice', 2);
    await expect(t.beforeAttempt({ address: '192.0.2.1', user: 'alice' })).resolves.toBeUndefined();
    await fail(t, '192.0.2.1', undefined, 1);
    expect(await refusal(t.beforeAttempt({ address: '192.0.2.1', user: 'bob' }))).toBeInstanceOf(LoginThrottled);
  });

  test('an attempt is suspect while its address or pair has recent failures', async () => {
    jest.useFakeTimers({ now: 1_000_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const { throttle: t } = throttle();
    expect(t.isSuspect({ address: '192.0.2.1', user: 'alice' })).toBe(false);
    const recorded = t.recordFailure({ address: '192.0.2.1', user: 'alice' });
    // Before the counters answer: waiting derivations must already see it.
    expect(t.isSuspect({ address: '192.0.2.1', user: 'bob' })).toBe(true);
    await recorded;
    expect(t.isSuspect({ address: '192.0.2.2', user: 'alice' })).toBe(false);
    jest.advanceTimersByTime(60_001);
    expect(t.isSuspect({ address: '192.0.2.1', user: 'alice' })).toBe(false);
  });

  test('counts in the store it is given, one limiter per dimension, named with the window', async () => {
    const specs: CounterSpec[] = [];
    const t = createLoginThrottle(SETTINGS, {
      store: (spec) => {
        specs.push(spec);
        return new RateLimiterMemory(spec);
      },
    });
    await t.recordFailure({ address: '192.0.2.1', user: 'alice' });
    expect(specs.map((s) => [s.keyPrefix, s.duration])).toEqual([
      ['taxiway-login-address-60', 60],
      ['taxiway-login-pair-60', 60],
      ['taxiway-login-user-60', 60],
    ]);
  });
});
