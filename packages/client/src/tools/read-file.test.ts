import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { executeTool } from './execute-tool';
import { errorOf, makeTempWorkspace, resultOf, type TempWorkspace } from './testing/temp-workspace';

let ws: TempWorkspace;
beforeEach(async () => {
  ws = await makeTempWorkspace();
  await ws.put('notes.txt', 'one\ntwo\nthree\nfour\n');
});
afterEach(async () => {
  await ws.remove();
});

describe('read_file', () => {
  it('returns the whole text with its line numbers', async () => {
    const outcome = await executeTool(ws, 'read_file', { path: 'notes.txt' });
    expect(resultOf(outcome)).toEqual({
      path: 'notes.txt',
      content: 'one\ntwo\nthree\nfour\n',
      startLine: 1,
      endLine: 4,
      totalLines: 4,
    });
  });

  it('returns the lines from startLine to endLine, both included', async () => {
    const outcome = await executeTool(ws, 'read_file', {
      path: 'notes.txt',
      startLine: 2,
      endLine: 3,
    });
    expect(resultOf(outcome)).toMatchObject({ content: 'two\nthree\n', startLine: 2, endLine: 3 });
  });

  it('stops at the end of the file when endLine is past it', async () => {
    const outcome = await executeTool(ws, 'read_file', {
      path: 'notes.txt',
      startLine: 4,
      endLine: 99,
    });
    expect(resultOf(outcome)).toMatchObject({ content: 'four\n', endLine: 4 });
  });

  it('reads an empty file as no lines', async () => {
    await ws.put('empty.txt', '');
    const outcome = await executeTool(ws, 'read_file', { path: 'empty.txt' });
    expect(resultOf(outcome)).toMatchObject({ content: '', totalLines: 0 });
  });

  it('refuses a startLine past the end, saying how many lines there are', async () => {
    const outcome = await executeTool(ws, 'read_file', { path: 'notes.txt', startLine: 9 });
    expect(errorOf(outcome)).toMatch(/past the end of "notes.txt", which has 4 lines/);
  });

  it('refuses an endLine before the startLine', async () => {
    const outcome = await executeTool(ws, 'read_file', {
      path: 'notes.txt',
      startLine: 3,
      endLine: 2,
    });
    expect(errorOf(outcome)).toMatch(/endLine \(2\) is before startLine \(3\)/);
  });

  it('says a missing file does not exist, by its workspace path', async () => {
    const outcome = await executeTool(ws, 'read_file', { path: 'src/missing.ts' });
    expect(errorOf(outcome)).toBe('"src/missing.ts" does not exist.');
  });

  it('refuses a folder and points to list_files', async () => {
    await ws.put('src/a.ts', '');
    expect(errorOf(await executeTool(ws, 'read_file', { path: 'src' }))).toMatch(
      /is a folder, not a file; use list_files/,
    );
  });

  it('refuses a binary file', async () => {
    await ws.put('image.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
    expect(errorOf(await executeTool(ws, 'read_file', { path: 'image.png' }))).toMatch(
      /binary file/,
    );
  });

  it('refuses a file over 1 MiB and says how to read it in parts', async () => {
    await ws.put('big.log', 'x'.repeat(1024 * 1024 + 1));
    expect(errorOf(await executeTool(ws, 'read_file', { path: 'big.log' }))).toMatch(
      /over read_file's limit .*search_files.*execute_command/,
    );
  });
});
