import path from 'node:path';

/** An error from Node's file-system or process calls, which carries an errno `code`. */
export type SystemError = Error & { code: string; path?: string; dest?: string };

/** Whether `error` came from the operating system (a missing file, a permission…). */
export function isSystemError(error: unknown): error is SystemError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

/** `absolute` as the model knows it: relative to the workspace folder when it is inside. */
export function displayPath(root: string, absolute: string): string {
  const relative = path.relative(root, absolute);
  if (relative === '') return '.';
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    return absolute;
  }
  return relative.split(path.sep).join('/');
}

/**
 * Words a model can act on for a failed file-system call, with the path relative to the
 * workspace folder `root` (the model never saw the absolute one).
 */
export function describeSystemError(error: SystemError, root: string): string {
  const where = error.path === undefined ? 'the path' : `"${displayPath(root, error.path)}"`;
  switch (error.code) {
    case 'ENOENT':
      return `${where} does not exist.`;
    case 'EEXIST':
      return `${where} exists already.`;
    case 'EISDIR':
      return `${where} is a folder, not a file.`;
    case 'ENOTDIR':
      return `${where} cannot be used: a part of the path is a file, not a folder.`;
    case 'EACCES':
    case 'EPERM':
      return `Permission denied on ${where}.`;
    case 'ENOTEMPTY':
      return `${where} is a folder that is not empty.`;
    case 'ELOOP':
      return `${where} goes through too many symbolic links (a loop?).`;
    case 'ENAMETOOLONG':
      return `${where} is too long a path.`;
    case 'ENOSPC':
      return `No space left on the disk for ${where}.`;
    case 'EROFS':
      return `${where} is on a read-only file system.`;
    case 'EXDEV':
      return `${where} cannot be moved to another file system.`;
    default:
      return `${error.code} on ${where}: ${withoutRoot(error.message, root)}`;
  }
}

/** Node's own message names absolute paths; the model knows them relative to the workspace. */
function withoutRoot(message: string, root: string): string {
  return message.replaceAll(`${root}${path.sep}`, '').replaceAll(root, '.');
}
