import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { executeTool } from './execute-tool';
import { errorOf, makeTempWorkspace, resultOf, type TempWorkspace } from './testing/temp-workspace';

let ws: TempWorkspace;
beforeEach(async () => {
  ws = await makeTempWorkspace();
  await ws.put('a.txt', 'content of a');
});
afterEach(async () => {
  await ws.remove();
});

describe('move_file', () => {
  it('moves a file, creating the destination folder', async () => {
    const outcome = await executeTool(ws, 'move_file', { from: 'a.txt', to: 'new/dir/b.txt' });
    expect(resultOf(outcome)).toEqual({ from: 'a.txt', to: 'new/dir/b.txt' });
    expect(await readFile(path.join(ws.root, 'new/dir/b.txt'), 'utf8')).toBe('content of a');
  });

  it('moves a folder with its contents', async () => {
    await ws.put('src/x.ts', 'x');
    expect(resultOf(await executeTool(ws, 'move_file', { from: 'src', to: 'lib' }))).toEqual({
      from: 'src',
      to: 'lib',
    });
    expect(await readFile(path.join(ws.root, 'lib/x.ts'), 'utf8')).toBe('x');
  });

  it('refuses to overwrite an existing destination, and leaves both files', async () => {
    await ws.put('b.txt', 'content of b');
    const outcome = await executeTool(ws, 'move_file', { from: 'a.txt', to: 'b.txt' });
    expect(errorOf(outcome)).toMatch(/"b.txt" exists already; move_file does not overwrite/);
    expect(await readFile(path.join(ws.root, 'b.txt'), 'utf8')).toBe('content of b');
    expect(await readFile(path.join(ws.root, 'a.txt'), 'utf8')).toBe('content of a');
  });

  it('says a missing source does not exist', async () => {
    expect(errorOf(await executeTool(ws, 'move_file', { from: 'nope', to: 'b' }))).toBe(
      '"nope" does not exist.',
    );
  });

  it('refuses to move a folder into itself', async () => {
    await ws.put('src/x.ts', 'x');
    expect(errorOf(await executeTool(ws, 'move_file', { from: 'src', to: 'src/inner' }))).toBe(
      '"src" cannot be moved into itself ("src/inner").',
    );
  });

  it('refuses to move the workspace folder itself', async () => {
    expect(errorOf(await executeTool(ws, 'move_file', { from: '.', to: 'x' }))).toMatch(
      /workspace folder itself/,
    );
  });
});
