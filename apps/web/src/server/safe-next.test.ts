import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

describe('where a login goes next', () => {
  it.each([
    '/',
    '/sessions',
    '/sessions/abc?status=running#plan',
    '/decisions?kind=resume_subtask',
  ])('keeps a path of the dashboard: %s', (next) => {
    expect(safeNext(next)).toBe(next);
  });

  it.each([
    ['protocol-relative', '//evil.example/'],
    ['a backslash after the slash', '/\\evil.example/'],
    ['an encoded backslash', '/%5Cevil.example/'],
    ['an encoded backslash, lower case', '/%5cevil.example/'],
    ['encoded slashes', '/%2F%2Fevil.example/'],
    ['a backslash first', '\\/evil.example/'],
    ['two backslashes', '\\\\evil.example/'],
    ['an absolute URL', 'https://evil.example/'],
    ['a scheme-less host', 'evil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a javascript: URL after two slashes', '//javascript:alert(1)'],
    ['a tab inside', '/\t/evil.example/'],
    ['a newline inside', '/\n/evil.example/'],
    ['a carriage return inside', '/\r/evil.example/'],
    ['an encoded tab', '/%09/evil.example/'],
    ['a header break', '/%0d%0aSet-Cookie:x=1'],
    ['a dot segment before two slashes', '/.//evil.example/'],
    ['a dot-dot segment before two slashes', '/a/../..//evil.example/'],
    ['a dot segment before a backslash', '/./\\evil.example/'],
    ['broken percent-encoding', '/%E0%A4%A'],
    ['an empty value', ''],
  ])('sends %s to the overview', (_, next) => {
    expect(safeNext(next)).toBe('/');
  });

  it('sends anything that is not a string to the overview', () => {
    expect(safeNext(null)).toBe('/');
    expect(safeNext(undefined)).toBe('/');
    expect(safeNext(['/sessions'])).toBe('/');
  });
});
