/** Where a login goes when `next` is missing or not a path of this dashboard. */
const HOME = '/';

/** A stand-in origin: resolving against it shows whether a value would leave the dashboard. */
const BASE = 'http://dashboard.invalid';

/** A backslash, or a control character (C0 or DEL), which URL parsers drop or rewrite. */
const isTricky = (char: string): boolean => char === '\\' || char <= '\u001f' || char === '\u007f';

/**
 * Browsers read `\` as `/` in URLs and drop tabs and newlines, so `/\evil` or `/\t/evil` are
 * `//evil`, another host. Such values (and `//…`) are refused before any parsing.
 */
const looksUnsafe = (value: string): boolean =>
  !value.startsWith('/') || value.startsWith('//') || [...value].some(isTricky);

/**
 * The path to go to after a login: `next` when it is a path of this dashboard, else `/`. Checked
 * as given and once percent-decoded (a proxy or a second redirect may decode it), then resolved:
 * the origin must not change and the normalised path must not start with `//` (`/.//evil`).
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string') return HOME;
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return HOME;
  }
  if (looksUnsafe(next) || looksUnsafe(decoded)) return HOME;
  const url = new URL(next, BASE);
  if (url.origin !== BASE) return HOME;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith('//') ? HOME : path;
}
