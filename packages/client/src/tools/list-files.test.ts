import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { executeTool } from './execute-tool';
import { errorOf, makeTempWorkspace, resultOf, type TempWorkspace } from './testing/temp-workspace';

let ws: TempWorkspace;
beforeEach(async () => {
  ws = await makeTempWorkspace();
  await ws.put('README.md', '');
  await ws.put('src/app.ts', '');
  await ws.put('src/lib/util.ts', '');
  await ws.put('.git/HEAD', '');
  await ws.put('node_modules/zod/index.js', '');
});
afterEach(async () => {
  await ws.remove();
});

interface Listing {
  path: string;
  entries: { path: string; type: string }[];
  truncated: boolean;
  note?: string;
}

describe('list_files', () => {
  it('lists the entries of a folder with their type, in name order', async () => {
    const listing = resultOf<Listing>(await executeTool(ws, 'list_files', { path: '.' }));
    expect(listing).toEqual({
      path: '.',
      entries: [
        { path: '.git', type: 'dir' },
        { path: 'README.md', type: 'file' },
        { path: 'node_modules', type: 'dir' },
        { path: 'src', type: 'dir' },
      ],
      truncated: false,
    });
  });

  it('lists a subfolder with paths relative to the workspace', async () => {
    const listing = resultOf<Listing>(await executeTool(ws, 'list_files', { path: 'src' }));
    expect(listing.entries.map((entry) => entry.path)).toEqual(['src/app.ts', 'src/lib']);
  });

  it('goes into subfolders when recursive, but not into .git or node_modules', async () => {
    const listing = resultOf<Listing>(
      await executeTool(ws, 'list_files', { path: '.', recursive: true }),
    );
    expect(listing.entries.map((entry) => entry.path)).toEqual([
      '.git',
      'README.md',
      'node_modules',
      'src',
      'src/app.ts',
      'src/lib',
      'src/lib/util.ts',
    ]);
  });

  it('stops at 1000 entries and says the listing was cut', async () => {
    await Promise.all(
      Array.from({ length: 1005 }, (_, i) => ws.put(`many/f${String(i).padStart(4, '0')}`, '')),
    );
    const listing = resultOf<Listing>(await executeTool(ws, 'list_files', { path: 'many' }));
    expect(listing.entries).toHaveLength(1000);
    expect(listing.truncated).toBe(true);
    expect(listing.note).toMatch(/first 1000 entries/);
  });

  it('refuses a file and points to read_file', async () => {
    expect(errorOf(await executeTool(ws, 'list_files', { path: 'README.md' }))).toMatch(
      /is a file, not a folder; use read_file/,
    );
  });

  it('says a missing folder does not exist', async () => {
    expect(errorOf(await executeTool(ws, 'list_files', { path: 'nope' }))).toBe(
      '"nope" does not exist.',
    );
  });
});
