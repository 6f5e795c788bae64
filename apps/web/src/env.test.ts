import { describe, expect, it } from 'vitest';
import { readWebEnv } from './env';

describe('the dashboard settings', () => {
  it('default to a runtime on 127.0.0.1:4000', () => {
    expect(readWebEnv({})).toEqual({ runtimeUrl: 'http://127.0.0.1:4000' });
  });

  it('take BATON_RUNTIME_URL without its trailing slash', () => {
    expect(readWebEnv({ BATON_RUNTIME_URL: 'http://runtime:4100/' })).toEqual({
      runtimeUrl: 'http://runtime:4100',
    });
  });

  it('refuse a runtime URL that is not http(s), naming the setting', () => {
    expect(() => readWebEnv({ BATON_RUNTIME_URL: 'runtime:4000' })).toThrow(/BATON_RUNTIME_URL/);
  });
});
