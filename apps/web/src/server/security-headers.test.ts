import { describe, expect, it } from 'vitest';
import { NON_PAGE_CSP, pageContentSecurityPolicy, SECURITY_HEADERS } from './security-headers';

/** The directives of a policy, by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe("a page's Content-Security-Policy", () => {
  const page = directives(
    pageContentSecurityPolicy({ nonce: 'abc123', https: false, development: false }),
  );

  it('runs only scripts with the nonce, or loaded by them, and never inline or eval', () => {
    expect(page.get('script-src')).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
  });

  it('allows styles from the dashboard or with the nonce, not inline ones', () => {
    expect(page.get('style-src')).toEqual(["'self'", "'nonce-abc123'"]);
  });

  it('forbids framing, plugins, a <base> and posting forms elsewhere', () => {
    expect(page.get('frame-ancestors')).toEqual(["'none'"]);
    expect(page.get('object-src')).toEqual(["'none'"]);
    expect(page.get('base-uri')).toEqual(["'none'"]);
    expect(page.get('form-action')).toEqual(["'self'"]);
    expect(page.get('default-src')).toEqual(["'self'"]);
  });

  it('upgrades insecure requests over https only', () => {
    expect(page.has('upgrade-insecure-requests')).toBe(false);
    const https = pageContentSecurityPolicy({ nonce: 'n', https: true, development: false });
    expect(directives(https).has('upgrade-insecure-requests')).toBe(true);
  });

  it('lets next dev use eval and inline styles', () => {
    const dev = directives(
      pageContentSecurityPolicy({ nonce: 'n', https: false, development: true }),
    );
    expect(dev.get('script-src')).toContain("'unsafe-eval'");
    expect(dev.get('style-src')).toContain("'unsafe-inline'");
  });
});

describe('the headers of every response', () => {
  it('forbid framing and sniffing, and send no Referer', () => {
    expect(Object.fromEntries(SECURITY_HEADERS.map((h) => [h.key, h.value]))).toEqual({
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
  });

  it('let a response that is not a page load nothing and be framed nowhere', () => {
    const policy = directives(NON_PAGE_CSP);
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  });
});
