import { readFile } from 'node:fs/promises';
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

describe('write_file', () => {
  it('creates a file and its parent folders, and says it created it', async () => {
    const outcome = await executeTool(ws, 'write_file', {
      path: 'src/deep/app.ts',
      content: 'é\n',
    });
    expect(resultOf(outcome)).toEqual({ path: 'src/deep/app.ts', bytes: 3, created: true });
    expect(await readFile(path.join(ws.root, 'src/deep/app.ts'), 'utf8')).toBe('é\n');
  });

  it('overwrites an existing file and says it was not created', async () => {
    await ws.put('a.txt', 'old');
    const outcome = await executeTool(ws, 'write_file', { path: 'a.txt', content: 'new' });
    expect(resultOf(outcome)).toMatchObject({ created: false });
    expect(await readFile(path.join(ws.root, 'a.txt'), 'utf8')).toBe('new');
  });

  it('refuses to write over a folder', async () => {
    await ws.put('src/a.ts', '');
    const outcome = await executeTool(ws, 'write_file', { path: 'src', content: 'x' });
    expect(errorOf(outcome)).toMatch(/"src" is a folder/);
  });

  it('says when a parent in the path is a file', async () => {
    await ws.put('a.txt', '');
    const outcome = await executeTool(ws, 'write_file', { path: 'a.txt/b.txt', content: 'x' });
    expect(errorOf(outcome)).toBe(
      '"a.txt/b.txt" cannot be used: a part of the path is a file, not a folder.',
    );
  });

  it('refuses arguments that do not match the schema, naming the field', async () => {
    const outcome = await executeTool(ws, 'write_file', { path: 'a.txt' });
    expect(errorOf(outcome)).toMatch(/^Invalid arguments for write_file: content/);
  });
});
