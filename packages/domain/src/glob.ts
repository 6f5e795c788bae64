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

/**
 * Compiled globs: policies and grants are a handful of fixed texts matched at every decision, so
 * each is compiled once. Bounded, since a glob may come from configuration.
 */
const compiled = new Map<string, RegExp>();
const MOST_COMPILED = 256;

/** Whether `value` matches `glob` (see {@link globToRegExp}). */
export function matchesGlob(glob: string, value: string): boolean {
  let pattern = compiled.get(glob);
  if (!pattern) {
    if (compiled.size >= MOST_COMPILED) compiled.clear();
    compiled.set(glob, (pattern = globToRegExp(glob)));
  }
  return pattern.test(value);
}
