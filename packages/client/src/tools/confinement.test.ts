import { access, link, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { executeTool } from './execute-tool';
import { errorOf, makeTempWorkspace, resultOf, type TempWorkspace } from './testing/temp-workspace';

let ws: TempWorkspace;
beforeEach(async () => {
  ws = await makeTempWorkspace();
  await symlink(ws.outside, path.join(ws.root, 'out'));
  await ws.put('real/inside.txt', 'inside\n');
  await symlink('real', path.join(ws.root, 'alias'));
});
afterEach(async () => {
  await ws.remove();
});

describe('confinement of every tool to the workspace folder', () => {
  it('refuses to read a file through a link that points outside', async () => {
    const outcome = await executeTool(ws, 'read_file', { path: 'out/secret.txt' });
    expect(errorOf(outcome)).toMatch(/leads outside the workspace/);
  });

  it('refuses to write through a link that points outside, and writes nothing there', async () => {
    const outcome = await executeTool(ws, 'write_file', { path: 'out/planted.txt', content: 'x' });
    expect(errorOf(outcome)).toMatch(/leads outside the workspace/);
    await expect(access(path.join(ws.outside, 'planted.txt'))).rejects.toThrow();
  });

  it('refuses to list a folder through a link that points outside', async () => {
    const outcome = await executeTool(ws, 'list_files', { path: 'out' });
    expect(errorOf(outcome)).toMatch(/leads outside the workspace/);
  });

  it('lists a link that points outside as a link, and does not follow it when recursive', async () => {
    const listing = resultOf<{ entries: { path: string }[] }>(
      await executeTool(ws, 'list_files', { path: '.', recursive: true }),
    );
    const paths = listing.entries.map((entry) => entry.path);
    expect(paths).toContain('out');
    expect(paths).not.toContain('out/secret.txt');
  });

  it('does not search through a link that points outside', async () => {
    const found = resultOf<{ matches: unknown[] }>(
      await executeTool(ws, 'search_files', { query: 'top secret' }),
    );
    expect(found.matches).toEqual([]);
  });

  it('reads, writes and lists through a link that points inside', async () => {
    const read = resultOf(await executeTool(ws, 'read_file', { path: 'alias/inside.txt' }));
    expect(read).toMatchObject({ content: 'inside\n' });
    await executeTool(ws, 'write_file', { path: 'alias/new.txt', content: 'new' });
    const listing = resultOf(await executeTool(ws, 'list_files', { path: 'alias' }));
    expect(listing).toMatchObject({
      entries: [
        { path: 'alias/inside.txt', type: 'file' },
        { path: 'alias/new.txt', type: 'file' },
      ],
    });
  });

  it.each([
    ['../x', /climbs out/],
    ['/etc/passwd', /absolute path/],
    ['a/../../x', /climbs out/],
  ])('refuses to read %s', async (requested, reason) => {
    expect(errorOf(await executeTool(ws, 'read_file', { path: requested }))).toMatch(reason);
  });

  it('refuses a move whose destination is outside, naming the argument', async () => {
    const outcome = await executeTool(ws, 'move_file', { from: 'real/inside.txt', to: '../x' });
    expect(errorOf(outcome)).toMatch(/^to: .*climbs out/);
  });

  it('refuses a move whose source is outside, naming the argument', async () => {
    const outcome = await executeTool(ws, 'move_file', { from: 'out/secret.txt', to: 'stolen' });
    expect(errorOf(outcome)).toMatch(/^from: .*leads outside/);
  });

  it('refuses to delete a file through a link that points outside', async () => {
    const outcome = await executeTool(ws, 'delete_file', { path: 'out/secret.txt' });
    expect(errorOf(outcome)).toMatch(/leads outside/);
    await access(path.join(ws.outside, 'secret.txt'));
  });

  it('refuses to create a folder through a link that points outside', async () => {
    const outcome = await executeTool(ws, 'create_directory', { path: 'out/new' });
    expect(errorOf(outcome)).toMatch(/leads outside/);
  });

  it('refuses to run a command in a folder outside', async () => {
    for (const cwd of ['..', 'out', '/tmp']) {
      const outcome = await executeTool(ws, 'execute_command', { command: 'pwd', cwd });
      expect(outcome.type).toBe('error');
    }
  });
});

describe('hard links, which cannot be traced to their other names', () => {
  beforeEach(async () => {
    await link(path.join(ws.outside, 'secret.txt'), path.join(ws.root, 'hard.txt'));
  });

  it('refuses to read a file that has another name, saying why', async () => {
    const outcome = await executeTool(ws, 'read_file', { path: 'hard.txt' });
    expect(errorOf(outcome)).toMatch(/"hard.txt" has 2 hard links.*could reach outside/);
  });

  it('refuses to write, move or delete it, and leaves the file outside untouched', async () => {
    const calls = [
      ['write_file', { path: 'hard.txt', content: 'overwritten' }],
      ['move_file', { from: 'hard.txt', to: 'moved.txt' }],
      ['delete_file', { path: 'hard.txt' }],
    ] as const;
    for (const [name, args] of calls) {
      expect(errorOf(await executeTool(ws, name, args))).toMatch(/hard links/);
    }
    expect(await readFile(path.join(ws.outside, 'secret.txt'), 'utf8')).toBe('top secret\n');
    await access(path.join(ws.root, 'hard.txt'));
  });

  it('refuses to read it through a symbolic link that points at it', async () => {
    await symlink('hard.txt', path.join(ws.root, 'soft.txt'));
    const outcome = await executeTool(ws, 'read_file', { path: 'soft.txt' });
    expect(errorOf(outcome)).toMatch(/hard links/);
  });

  it('does not search its content, neither in a folder nor when named', async () => {
    const found = resultOf<{ matches: unknown[] }>(
      await executeTool(ws, 'search_files', { query: 'top secret' }),
    );
    expect(found.matches).toEqual([]);
    const named = await executeTool(ws, 'search_files', { query: 'top', path: 'hard.txt' });
    expect(errorOf(named)).toMatch(/hard links/);
  });
});

describe('writing at a path whose last part is a symbolic link', () => {
  it('refuses to write through notes.md when it points at src/main.ts, and leaves main.ts', async () => {
    await ws.put('src/main.ts', 'main();\n');
    await symlink('src/main.ts', path.join(ws.root, 'notes.md'));
    const outcome = await executeTool(ws, 'write_file', { path: 'notes.md', content: '# hi' });
    expect(errorOf(outcome)).toMatch(
      /"notes.md" is a symbolic link, and a write never goes through/,
    );
    expect(await readFile(path.join(ws.root, 'src/main.ts'), 'utf8')).toBe('main();\n');
  });

  it('refuses to create a file through a dangling link at the end of the path', async () => {
    await symlink('src/new.ts', path.join(ws.root, 'plan.md'));
    const outcome = await executeTool(ws, 'write_file', { path: 'plan.md', content: 'x' });
    expect(errorOf(outcome)).toMatch(/is a symbolic link/);
    await expect(access(path.join(ws.root, 'src/new.ts'))).rejects.toThrow();
  });

  it('still writes under a linked folder, whose file keeps the name given', async () => {
    const outcome = await executeTool(ws, 'write_file', { path: 'alias/notes.md', content: 'x' });
    expect(resultOf(outcome)).toMatchObject({ path: 'alias/notes.md', created: true });
    expect(await readFile(path.join(ws.root, 'real/notes.md'), 'utf8')).toBe('x');
  });
});
