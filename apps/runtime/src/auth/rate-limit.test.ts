import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit';

describe('createRateLimiter', () => {
  it('allows the limit at once, then one more as each share of a minute passes', () => {
    const clock = { now: 0 };
    const limiter = createRateLimiter(3, { now: () => clock.now });
    expect([1, 2, 3, 4].map(() => limiter.allow('a'))).toEqual([true, true, true, false]);
    expect(limiter.allow('b')).toBe(true);
    clock.now += 20_000;
    expect([limiter.allow('a'), limiter.allow('a')]).toEqual([true, false]);
  });

  it('takes back what was given back, up to the limit', () => {
    const limiter = createRateLimiter(2, { now: () => 0 });
    limiter.giveBack('a');
    expect([limiter.allow('a'), limiter.allow('a'), limiter.allow('a')]).toEqual([
      true,
      true,
      false,
    ]);
    limiter.giveBack('a');
    expect([limiter.allow('a'), limiter.allow('a')]).toEqual([true, false]);
  });

  it('forgets keys idle for a minute, so a new key per request does not grow it forever', () => {
    const clock = { now: 0 };
    const limiter = createRateLimiter(10, { now: () => clock.now });
    for (let i = 0; i < 1_000; i++) limiter.allow(`address ${i}`);
    expect(limiter.size).toBe(1_000);
    clock.now += 60_000;
    limiter.allow('a newcomer');
    expect(limiter.size).toBe(1);
  });

  it('holds at most its maximum of keys, forgetting the one seen longest ago first', () => {
    const limiter = createRateLimiter(2, { now: () => 0, maxKeys: 100 });
    limiter.allow('busy');
    limiter.allow('busy');
    for (let i = 0; i < 99; i++) limiter.allow(`address ${i}`);
    expect(limiter.size).toBe(100);
    expect(limiter.allow('busy')).toBe(false);
    limiter.allow('one more');
    expect(limiter.size).toBe(100);
    expect(limiter.allow('busy')).toBe(false);
  });
});
