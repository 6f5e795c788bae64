import { link, mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { resolveInWorkspace } from './resolve-in-workspace';
import { makeTempWorkspace, type TempWorkspace } from './testing/temp-workspace';

let ws: TempWorkspace;
beforeEach(async () => {
  ws = await makeTempWorkspace();
});
afterEach(async () => {
  await ws.remove();
});

async function refusal(requested: string): Promise<string> {
  const resolved = await resolveInWorkspace(ws.root, requested);
  if (resolved.ok) throw new Error(`expected "${requested}" to be refused`);
  return resolved.message;
}

describe('resolveInWorkspace', () => {
  it('resolves a relative path inside the workspace', async () => {
    await ws.put('src/app.ts', '');
    const resolved = await resolveInWorkspace(ws.root, 'src/app.ts');
    expect(resolved).toMatchObject({ ok: true, relative: 'src/app.ts' });
  });

  it('resolves a path that does not exist yet', async () => {
    const resolved = await resolveInWorkspace(ws.root, 'new/deeper/file.txt');
    expect(resolved).toMatchObject({ ok: true, relative: 'new/deeper/file.txt' });
  });

  it('resolves "." to the workspace folder itself', async () => {
    expect(await resolveInWorkspace(ws.root, '.')).toMatchObject({ ok: true, relative: '.' });
  });

  it('accepts ".." that stays inside the workspace', async () => {
    const resolved = await resolveInWorkspace(ws.root, 'a/../b.txt');
    expect(resolved).toMatchObject({ ok: true, relative: 'b.txt' });
  });

  it('accepts a name that merely starts with two dots', async () => {
    expect(await resolveInWorkspace(ws.root, '..hidden')).toMatchObject({ ok: true });
  });

  it('refuses "../x", which climbs out', async () => {
    expect(await refusal('../x')).toMatch(/climbs out of the workspace/);
  });

  it('refuses "a/../../x", which climbs out through a folder', async () => {
    expect(await refusal('a/../../x')).toMatch(/climbs out of the workspace/);
  });

  it('refuses an absolute path such as /etc/passwd and says to use a relative one', async () => {
    expect(await refusal('/etc/passwd')).toMatch(/absolute path; give a path relative/);
  });

  it('refuses a path holding a NUL byte', async () => {
    expect(await refusal('a\0b')).toMatch(/NUL byte/);
  });

  it('refuses a symbolic link that points outside', async () => {
    await symlink(path.join(ws.outside, 'secret.txt'), path.join(ws.root, 'secret-link'));
    expect(await refusal('secret-link')).toMatch(/symbolic link that leads outside/);
  });

  it('refuses a new path under a linked folder that points outside', async () => {
    await symlink(ws.outside, path.join(ws.root, 'out'));
    expect(await refusal('out/new/file.txt')).toMatch(/symbolic link that leads outside/);
  });

  it('refuses a dangling link whose missing target is outside', async () => {
    await symlink(path.join(ws.outside, 'not-yet.txt'), path.join(ws.root, 'dangling'));
    expect(await refusal('dangling')).toMatch(/symbolic link that leads outside/);
  });

  it('accepts a symbolic link that points inside', async () => {
    await ws.put('real/file.txt', 'x');
    await symlink('real', path.join(ws.root, 'alias'));
    const resolved = await resolveInWorkspace(ws.root, 'alias/file.txt');
    expect(resolved).toMatchObject({ ok: true, relative: 'alias/file.txt' });
  });

  it('accepts a dangling link whose missing target is inside', async () => {
    await symlink('later.txt', path.join(ws.root, 'soon'));
    expect(await resolveInWorkspace(ws.root, 'soon')).toMatchObject({ ok: true });
  });

  it('refuses a loop of symbolic links with a readable reason', async () => {
    await symlink('b', path.join(ws.root, 'a'));
    await symlink('a', path.join(ws.root, 'b'));
    expect(await refusal('a/file.txt')).toMatch(/too many symbolic links/);
  });

  it('refuses a file that has a second name through a hard link, saying why', async () => {
    await link(path.join(ws.outside, 'secret.txt'), path.join(ws.root, 'hard.txt'));
    expect(await refusal('hard.txt')).toMatch(
      /"hard.txt" has 2 hard links; the other names of a hard link cannot be found/,
    );
  });

  it('accepts a folder, whose link count is above one by nature', async () => {
    await ws.put('src/deeper/file.txt', 'x');
    expect(await resolveInWorkspace(ws.root, 'src')).toMatchObject({ ok: true });
  });

  it('refuses a symbolic link as the last part of a path to write, even one that points inside', async () => {
    await ws.put('src/main.ts', '');
    await symlink('src/main.ts', path.join(ws.root, 'notes.md'));
    const resolved = await resolveInWorkspace(ws.root, 'notes.md', { writes: true });
    expect(resolved).toMatchObject({ ok: false, message: /"notes.md" is a symbolic link/ });
  });

  it('follows a symbolic link as the last part of a path that is not written', async () => {
    await ws.put('src/main.ts', '');
    await symlink('src/main.ts', path.join(ws.root, 'notes.md'));
    expect(await resolveInWorkspace(ws.root, 'notes.md')).toMatchObject({ ok: true });
  });

  it('works when the workspace folder is itself reached through a link', async () => {
    const linkedRoot = path.join(ws.outside, 'linked-root');
    await symlink(ws.root, linkedRoot);
    await mkdir(path.join(ws.root, 'src'));
    const resolved = await resolveInWorkspace(linkedRoot, 'src');
    expect(resolved).toMatchObject({ ok: true, relative: 'src' });
  });

  it('says so when the workspace folder does not exist', async () => {
    const resolved = await resolveInWorkspace(path.join(ws.root, 'missing'), 'x');
    expect(resolved).toMatchObject({ ok: false, message: /cannot be opened \(ENOENT\)/ });
  });
});
