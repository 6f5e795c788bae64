import type { Stats } from 'node:fs';
import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

import { describeSystemError, displayPath, isSystemError } from './fs-errors';
import { isHardLinked } from './fs-stat';

/** A path confined to the workspace folder, or the reason it was refused. */
export type WorkspacePath =
  | {
      readonly ok: true;
      /** Where to act: inside the workspace's real folder, with no `..` left in it. */
      readonly absolute: string;
      /** The same path relative to the workspace folder, `/`-separated; `.` for the folder. */
      readonly relative: string;
    }
  | { readonly ok: false; readonly message: string };

/** What the caller does at the path, which decides what is refused besides leaving the folder. */
export interface ResolveOptions {
  /**
   * The caller writes content into the file at the path (`write_file`): a symbolic link as the
   * path's last part is then refused rather than followed, so the file written always has the
   * name given. A path checked as `notes.md` must not turn into a write of `src/main.ts`.
   * Renaming, deleting and creating folders act on a link itself and need not set it.
   */
  readonly writes?: boolean;
}

/** Symbolic links followed by hand (dangling ones) before giving up, like the kernel's limit. */
const MAX_LINK_HOPS = 40;

/**
 * Resolves `requested` (a path relative to the workspace folder `root`) and confines it there.
 * Refuses NUL bytes, absolute paths, `..` that climbs out, and symbolic links that lead out —
 * checked on the realpath of the target, or of its nearest existing ancestor when it does not
 * exist yet, following dangling links so that writing through one cannot create a file outside.
 *
 * A regular file with more than one hard link is refused too: its other names cannot be found,
 * and one of them may be outside the workspace (`ws/hard.txt` linked to `outside/secret.txt`).
 * With `writes`, so is a symbolic link as the last part of the path (see `ResolveOptions`).
 *
 * The check is made at call time: a link swapped in afterwards by another process is not seen.
 */
export async function resolveInWorkspace(
  root: string,
  requested: string,
  options: ResolveOptions = {},
): Promise<WorkspacePath> {
  if (requested.includes('\0')) {
    return refuse('The path contains a NUL byte; give a plain relative path such as "src/app.ts".');
  }
  if (path.isAbsolute(requested)) {
    return refuse(
      `"${requested}" is an absolute path; give a path relative to the workspace folder, such as "src/app.ts".`,
    );
  }
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch (error) {
    if (!isSystemError(error)) throw error;
    return refuse(`The workspace folder ${root} cannot be opened (${error.code}).`);
  }
  const absolute = path.resolve(realRoot, requested);
  if (!isWithin(realRoot, absolute)) {
    return refuse(
      `"${requested}" climbs out of the workspace folder with "..". Every path must stay inside it.`,
    );
  }
  try {
    const real = await realpathAllowingMissing(absolute, 0);
    if (!isWithin(realRoot, real)) {
      return refuse(
        `"${requested}" goes through a symbolic link that leads outside the workspace folder; only files inside it can be used.`,
      );
    }
    const relative = displayPath(realRoot, absolute);
    const target = await statIfPresent(real, stat);
    if (target && isHardLinked(target)) {
      return refuse(
        `"${relative}" has ${target.nlink} hard links; the other names of a hard link cannot be found and could reach outside the workspace folder, so the tools do not use it; if it belongs to the workspace, ask the user to replace it with a copy.`,
      );
    }
    if (options.writes && (await statIfPresent(absolute, lstat))?.isSymbolicLink()) {
      return refuse(
        `"${relative}" is a symbolic link, and a write never goes through a link at the end of the path (its target has another name); write to the target's own path, or delete the link first.`,
      );
    }
    return { ok: true, absolute, relative };
  } catch (error) {
    if (!isSystemError(error)) throw error;
    return refuse(describeSystemError(error, realRoot));
  }
}

function refuse(message: string): WorkspacePath {
  return { ok: false, message };
}

/** Whether `candidate` is `root` or below it (both absolute and normalised). */
function isWithin(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return (
    relative === '' ||
    (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
  );
}

/**
 * The realpath of `target`, or, for a path that does not exist yet, the realpath of its nearest
 * existing ancestor joined with the missing rest.
 */
async function realpathAllowingMissing(target: string, hops: number): Promise<string> {
  try {
    return await realpath(target);
  } catch (error) {
    if (!isSystemError(error) || (error.code !== 'ENOENT' && error.code !== 'ENOTDIR')) {
      throw error;
    }
  }
  const parent = path.dirname(target);
  if (parent === target) return target;
  const realParent = await realpathAllowingMissing(parent, hops);
  const here = path.join(realParent, path.basename(target));
  const link = await readlinkIfAny(here);
  if (link === undefined) return here;
  // A dangling link: writing through it would create its target, so that is what must be inside.
  if (hops >= MAX_LINK_HOPS) {
    throw Object.assign(new Error('too many symbolic links'), { code: 'ELOOP', path: target });
  }
  return realpathAllowingMissing(path.resolve(realParent, link), hops + 1);
}

/**
 * The stats `read` gives for `at`, or `undefined` when nothing is there — including under a
 * parent that is a file, which the tool itself reports better than a refusal would.
 */
async function statIfPresent(
  at: string,
  read: (at: string) => Promise<Stats>,
): Promise<Stats | undefined> {
  try {
    return await read(at);
  } catch (error) {
    if (isSystemError(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) {
      return undefined;
    }
    throw error;
  }
}

/** The target of the symbolic link at `at`, or `undefined` when `at` is not a link. */
async function readlinkIfAny(at: string): Promise<string | undefined> {
  try {
    return await readlink(at);
  } catch (error) {
    if (isSystemError(error) && ['ENOENT', 'EINVAL', 'ENOTDIR'].includes(error.code)) {
      return undefined;
    }
    throw error;
  }
}
