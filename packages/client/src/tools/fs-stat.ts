import type { Stats } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';

import { isSystemError } from './fs-errors';

/** The stats of what `at` names (following links), or `undefined` when nothing is there. */
export async function statIfExists(at: string): Promise<Stats | undefined> {
  return orUndefinedIfMissing(stat(at));
}

/** The stats of `at` itself (a link is not followed), or `undefined` when nothing is there. */
export async function lstatIfExists(at: string): Promise<Stats | undefined> {
  return orUndefinedIfMissing(lstat(at));
}

/**
 * Whether `stats` are those of a regular file with more than one name. A hard link cannot be
 * traced to its other names, so one of them may be outside the workspace folder.
 */
export function isHardLinked(stats: Stats): boolean {
  return stats.isFile() && stats.nlink > 1;
}

async function orUndefinedIfMissing(pending: Promise<Stats>): Promise<Stats | undefined> {
  try {
    return await pending;
  } catch (error) {
    if (isSystemError(error) && error.code === 'ENOENT') return undefined;
    throw error;
  }
}
