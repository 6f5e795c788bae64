import { stat } from 'node:fs/promises';
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

describe('create_directory', () => {
  it('creates a folder with its missing parents', async () => {
    const outcome = await executeTool(ws, 'create_directory', { path: 'a/b/c' });
    expect(resultOf(outcome)).toEqual({ path: 'a/b/c', created: true });
    expect((await stat(path.join(ws.root, 'a/b/c'))).isDirectory()).toBe(true);
  });

  it('succeeds on an existing folder and says it created nothing', async () => {
    await executeTool(ws, 'create_directory', { path: 'a' });
    expect(resultOf(await executeTool(ws, 'create_directory', { path: 'a' }))).toEqual({
      path: 'a',
      created: false,
    });
  });

  it('refuses a path where a file exists', async () => {
    await ws.put('a.txt', '');
    expect(errorOf(await executeTool(ws, 'create_directory', { path: 'a.txt' }))).toMatch(
      /exists already and is a file/,
    );
  });
});
