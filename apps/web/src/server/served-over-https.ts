/**
 * Whether the browser reached the dashboard over https, by any sign: the request URL's scheme,
 * or the first (client-facing) `X-Forwarded-Proto` a TLS proxy added, or `forced` by the
 * operator (BATON_DASHBOARD_SECURE_COOKIE) for a proxy that says nothing.
 */
export function servedOverHttps(headers: Headers, url: string | null, forced: boolean): boolean {
  if (forced) return true;
  if (url !== null && URL.parse(url)?.protocol === 'https:') return true;
  const forwarded = headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https';
}
