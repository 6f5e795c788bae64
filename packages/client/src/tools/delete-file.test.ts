import { access, symlink } from 'node:fs/promises';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { executeTool } from './execute-tool';
import { errorOf, makeTempWorkspace, resultOf, type TempWorkspace } from './testing/temp-workspace';

let ws: TempWorkspace;
beforeEach(async () => {
  ws = await makeTempWorkspace();
});
afterEach(async () => {
  await ws.remove();
});

describe('delete_file', () => {
  it('deletes a file', async () => {
    await ws.put('src/old.ts', 'x');
    const outcome = await executeTool(ws, 'delete_file', { path: 'src/old.ts' });
    expect(resultOf(outcome)).toEqual({ path: 'src/old.ts', deleted: true });
    await expect(access(path.join(ws.root, 'src/old.ts'))).rejects.toThrow();
  });

  it('deletes a link and leaves the file it points to', async () => {
    await ws.put('real.txt', 'x');
    await symlink('real.txt', path.join(ws.root, 'link'));
    expect(resultOf(await executeTool(ws, 'delete_file', { path: 'link' }))).toMatchObject({
      deleted: true,
    });
    await access(path.join(ws.root, 'real.txt'));
  });

  it('refuses a folder', async () => {
    await ws.put('src/a.ts', '');
    expect(errorOf(await executeTool(ws, 'delete_file', { path: 'src' }))).toBe(
      '"src" is a folder; delete_file deletes files only.',
    );
    expect(errorOf(await executeTool(ws, 'delete_file', { path: '.' }))).toMatch(/is a folder/);
  });

  it('says a missing file does not exist', async () => {
    expect(errorOf(await executeTool(ws, 'delete_file', { path: 'gone.txt' }))).toBe(
      '"gone.txt" does not exist.',
    );
  });
});
