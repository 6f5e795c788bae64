import { describe, it, expect } from 'vitest';
import { globToRegExp, matchesGlob } from './glob';

describe('matchesGlob', () => {
  it('matches a literal name only exactly', () => {
    expect(matchesGlob('write_file', 'write_file')).toBe(true);
    expect(matchesGlob('write_file', 'write_file2')).toBe(false);
    expect(matchesGlob('write_file', 'my_write_file')).toBe(false);
  });

  it('lets * match any run of characters, including none and slashes', () => {
    expect(matchesGlob('*', '')).toBe(true);
    expect(matchesGlob('*', 'anything')).toBe(true);
    expect(matchesGlob('*_file', 'read_file')).toBe(true);
    expect(matchesGlob('*.md', 'README.md')).toBe(true);
    expect(matchesGlob('*.md', 'docs/design/a.md')).toBe(true);
    expect(matchesGlob('*.md', 'a.md.ts')).toBe(false);
  });

  it('lets ? match exactly one character', () => {
    expect(matchesGlob('file?', 'file1')).toBe(true);
    expect(matchesGlob('file?', 'file')).toBe(false);
    expect(matchesGlob('file?', 'file12')).toBe(false);
  });

  it('takes regular-expression characters literally', () => {
    expect(matchesGlob('a.md', 'aXmd')).toBe(false);
    expect(matchesGlob('a+b', 'aab')).toBe(false);
    expect(matchesGlob('a+b', 'a+b')).toBe(true);
    expect(matchesGlob('[x]', '[x]')).toBe(true);
    expect(matchesGlob('[x]', 'x')).toBe(false);
    expect(matchesGlob('(a|b)', 'a')).toBe(false);
    expect(matchesGlob('$^\\', '$^\\')).toBe(true);
  });

  it('anchors the pattern at both ends', () => {
    expect(globToRegExp('read*').test('xread_file')).toBe(false);
    expect(globToRegExp('*read').test('read_file')).toBe(false);
  });

  it('answers the same for globs compiled before, after more than it keeps compiled', () => {
    for (let i = 0; i < 600; i++) {
      expect(matchesGlob(`file-${i}-*.md`, `file-${i}-notes.md`)).toBe(true);
      expect(matchesGlob(`file-${i}-*.md`, `file-${i + 1}-notes.md`)).toBe(false);
    }
    expect(matchesGlob('file-3-*.md', 'file-3-a.md')).toBe(true);
  });
});
