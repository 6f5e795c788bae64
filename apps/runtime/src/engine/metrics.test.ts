import { describe, expect, it } from 'vitest';
import { createEngineMetrics } from './metrics';

/** Metrics whose run count is a counted, controllable read, on a clock moved by hand. */
function countedMetrics() {
  const clock = { now: 1_000 };
  let reads = 0;
  let answer: () => Promise<Record<string, number>> = () => Promise.resolve({ idle: 3 });
  const metrics = createEngineMetrics(
    () => {
      reads += 1;
      return answer();
    },
    undefined,
    { runsTtlMs: 5_000, now: () => clock.now },
  );
  return {
    clock,
    metrics,
    reads: () => reads,
    answerWith: (next: () => Promise<Record<string, number>>) => (answer = next),
  };
}

describe('baton_runs', () => {
  it('costs one count for a storm of concurrent scrapes, and one per interval after', async () => {
    const { clock, metrics, reads } = countedMetrics();
    const scrapes = await Promise.all(Array.from({ length: 50 }, () => metrics.registry.metrics()));
    expect(reads()).toBe(1);
    for (const text of scrapes) expect(text).toContain('baton_runs{state="idle"} 3');
    clock.now += 4_999;
    await metrics.registry.metrics();
    expect(reads()).toBe(1);
    clock.now += 1;
    await metrics.registry.metrics();
    expect(reads()).toBe(2);
  });

  it('does not keep a failed count: the next scrape counts again', async () => {
    const { metrics, reads, answerWith } = countedMetrics();
    answerWith(() => Promise.reject(new Error('connection lost')));
    await expect(metrics.registry.metrics()).rejects.toThrow('connection lost');
    answerWith(() => Promise.resolve({ idle: 1 }));
    expect(await metrics.registry.metrics()).toContain('baton_runs{state="idle"} 1');
    expect(reads()).toBe(2);
  });
});
