/**
 * Headers every response of the dashboard carries (next.config.ts): no framing (clickjacking),
 * no MIME sniffing, and no Referer, since a login link carries a token in its URL.
 */
export const SECURITY_HEADERS = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
] as const;

/** The policy of responses that are not pages (the API, redirects): they may load nothing. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The Content-Security-Policy of a page. Scripts run only with this response's `nonce` (Next
 * puts it on its own scripts, inline and not) or when loaded by such a script ('strict-dynamic':
 * Next's chunks); styles come from the dashboard's files or carry the nonce; everything else is
 * the dashboard's own or nothing. `development` lets React's dev tooling use eval; `https`
 * upgrades stray http URLs (not over plain http, where it would break every request).
 */
export function pageContentSecurityPolicy(args: {
  readonly nonce: string;
  readonly https: boolean;
  readonly development: boolean;
}): string {
  const nonce = `'nonce-${args.nonce}'`;
  return [
    "default-src 'self'",
    `script-src 'self' ${nonce} 'strict-dynamic'${args.development ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' ${args.development ? "'unsafe-inline'" : nonce}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(args.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}
