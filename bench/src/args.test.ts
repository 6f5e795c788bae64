import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './args';
import { formatDrift } from './report';

describe('parseBenchArgs', () => {
  it('defaults to the four levels of issue 6, 10 s each', () => {
    expect(parseBenchArgs([])).toEqual({
      clients: [1, 10, 50, 200],
      seconds: 10,
      intervalSeconds: null,
      resultBytes: 64,
    });
    expect(parseBenchArgs(['--result-bytes', '8192']).resultBytes).toBe(8192);
  });

  it('reads --soak as 10 minutes at C=50 reported every minute, overridable after it', () => {
    expect(parseBenchArgs(['--soak'])).toEqual({
      clients: [50],
      seconds: 600,
      intervalSeconds: 60,
      resultBytes: 64,
    });
    expect(parseBenchArgs(['--soak', '--seconds', '120', '--interval', '30'])).toEqual({
      clients: [50],
      seconds: 120,
      intervalSeconds: 30,
      resultBytes: 64,
    });
  });

  it('refuses what it does not know, saying what it takes', () => {
    expect(() => parseBenchArgs(['--clients', '0'])).toThrow(/not a positive integer/);
    expect(() => parseBenchArgs(['--minutes', '3'])).toThrow(/--soak/);
  });
});

describe('formatDrift', () => {
  const at = (atSeconds: number, p50Ms: number, p99Ms: number, rssMb: number) => ({
    atSeconds,
    roundTrips: 100,
    p50Ms,
    p99Ms,
    rssMb,
    cpuMsPerRoundTrip: 1,
  });

  it('compares the first interval with the last', () => {
    expect(formatDrift([at(60, 10, 40, 200), at(120, 11, 44, 201), at(180, 12, 60, 205)])).toBe(
      'from 60 s to 180 s: RSS 200 -> 205 MB, p50 10.0 -> 12.0 ms (x1.20), ' +
        'p99 40.0 -> 60.0 ms (x1.50), rt 100 -> 100 per interval',
    );
  });

  it('says nothing about a single interval', () => {
    expect(formatDrift([at(60, 10, 40, 200)])).toBeNull();
  });
});
