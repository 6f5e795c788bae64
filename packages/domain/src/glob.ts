/**
 * A glob as Baton's policies and permissions use it: `*` matches any run of characters (slashes
 * included, so `*.md` covers `docs/a.md`), `?` exactly one; everything else is literal.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Whether `value` matches `glob` (see {@link globToRegExp}). */
export function matchesGlob(glob: string, value: string): boolean {
  return globToRegExp(glob).test(value);
}
