import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

import { isSystemError } from './fs-errors';

/** What an entry of a folder is; links are reported as links, never followed. */
export type EntryType = 'file' | 'dir' | 'symlink' | 'other';

/** One entry met while walking a folder of the workspace. */
export interface FolderEntry {
  readonly absolute: string;
  /** Relative to the workspace folder, `/`-separated. */
  readonly relative: string;
  readonly type: EntryType;
}

/** Folders a recursive walk lists but does not go into: history and installed packages. */
export const FOLDERS_NOT_DESCENDED = new Set(['.git', 'node_modules']);

/**
 * The entries of `folder` in name order, depth first when `recursive`. Symbolic links are never
 * followed, so a walk cannot leave the workspace; `.git` and `node_modules` are listed but not
 * entered. Subfolders that cannot be read are skipped; the walk stops early once `signal` aborts.
 */
export async function* walkFolder(
  folder: { readonly absolute: string; readonly relative: string },
  options: { readonly recursive: boolean; readonly signal: AbortSignal | undefined },
): AsyncGenerator<FolderEntry> {
  yield* walk(folder.absolute, folder.relative, options, true);
}

async function* walk(
  absolute: string,
  relative: string,
  options: { readonly recursive: boolean; readonly signal: AbortSignal | undefined },
  isStart: boolean,
): AsyncGenerator<FolderEntry> {
  if (options.signal?.aborted) return;
  let dirents: Dirent[];
  try {
    dirents = await readdir(absolute, { withFileTypes: true });
  } catch (error) {
    // The folder asked for must be readable; an unreadable subfolder only loses its entries.
    if (isStart || !isSystemError(error)) throw error;
    return;
  }
  dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const dirent of dirents) {
    if (options.signal?.aborted) return;
    const entry: FolderEntry = {
      absolute: path.join(absolute, dirent.name),
      relative: relative === '.' ? dirent.name : `${relative}/${dirent.name}`,
      type: entryType(dirent),
    };
    yield entry;
    if (options.recursive && entry.type === 'dir' && !FOLDERS_NOT_DESCENDED.has(dirent.name)) {
      yield* walk(entry.absolute, entry.relative, options, false);
    }
  }
}

function entryType(dirent: Dirent): EntryType {
  if (dirent.isSymbolicLink()) return 'symlink';
  if (dirent.isDirectory()) return 'dir';
  if (dirent.isFile()) return 'file';
  return 'other';
}
