import { describe, expect, it } from 'vitest';
import { readWebEnv } from './env';

describe('the dashboard settings', () => {
  it('default to a runtime on 127.0.0.1:4000', () => {
    expect(readWebEnv({}).runtimeUrl).toBe('http://127.0.0.1:4000');
  });

  it('take BATON_RUNTIME_URL without its trailing slash', () => {
    expect(readWebEnv({ BATON_RUNTIME_URL: 'http://runtime:4100/' }).runtimeUrl).toBe(
      'http://runtime:4100',
    );
  });

  it('refuse a runtime URL that is not http(s), naming the setting', () => {
    expect(() => readWebEnv({ BATON_RUNTIME_URL: 'runtime:4000' })).toThrow(/BATON_RUNTIME_URL/);
  });

  it("cap a tRPC request at the runtime's own limit: twice the largest result plus 64 KiB", () => {
    expect(readWebEnv({}).maxRequestBytes).toBe(2 * 1024 * 1024 + 64 * 1024);
    expect(readWebEnv({ BATON_MAX_RESULT_BYTES: '1000' }).maxRequestBytes).toBe(2000 + 65536);
  });

  it('refuse a largest result that is not a positive whole number, naming the setting', () => {
    expect(() => readWebEnv({ BATON_MAX_RESULT_BYTES: '0' })).toThrow(/BATON_MAX_RESULT_BYTES/);
    expect(() => readWebEnv({ BATON_MAX_RESULT_BYTES: 'lots' })).toThrow(/BATON_MAX_RESULT_BYTES/);
  });

  it('mark the login cookie Secure by request unless BATON_DASHBOARD_SECURE_COOKIE forces it', () => {
    expect(readWebEnv({}).secureCookie).toBe(false);
    expect(readWebEnv({ BATON_DASHBOARD_SECURE_COOKIE: '1' }).secureCookie).toBe(true);
    expect(readWebEnv({ BATON_DASHBOARD_SECURE_COOKIE: 'true' }).secureCookie).toBe(true);
    expect(readWebEnv({ BATON_DASHBOARD_SECURE_COOKIE: '0' }).secureCookie).toBe(false);
    expect(() => readWebEnv({ BATON_DASHBOARD_SECURE_COOKIE: 'sometimes' })).toThrow(
      /BATON_DASHBOARD_SECURE_COOKIE/,
    );
  });

  it('know next dev from NODE_ENV', () => {
    expect(readWebEnv({ NODE_ENV: 'development' }).development).toBe(true);
    expect(readWebEnv({ NODE_ENV: 'production' }).development).toBe(false);
  });
});
