import { describe, expect, it } from 'vitest';

import { describeSystemError, displayPath, type SystemError } from './fs-errors';

function systemError(code: string, at?: string): SystemError {
  return Object.assign(new Error(`${code}: failed`), { code, ...(at && { path: at }) });
}

describe('describeSystemError', () => {
  it('names the path relative to the workspace folder', () => {
    expect(describeSystemError(systemError('ENOENT', '/ws/src/a.ts'), '/ws')).toBe(
      '"src/a.ts" does not exist.',
    );
  });

  it('says permission was denied in plain words', () => {
    expect(describeSystemError(systemError('EACCES', '/ws/locked'), '/ws')).toBe(
      'Permission denied on "locked".',
    );
    expect(describeSystemError(systemError('EPERM', '/ws/locked'), '/ws')).toBe(
      'Permission denied on "locked".',
    );
  });

  it('keeps the code and the message of an error it has no words for, paths made relative', () => {
    const error = Object.assign(new Error("EIO: i/o error, read '/ws/disk'"), {
      code: 'EIO',
      path: '/ws/disk',
    });
    expect(describeSystemError(error, '/ws')).toBe('EIO on "disk": EIO: i/o error, read \'disk\'');
  });

  it('speaks of "the path" when the error names none', () => {
    expect(describeSystemError(systemError('EEXIST'), '/ws')).toBe('the path exists already.');
  });
});

describe('displayPath', () => {
  it('shows the workspace folder as "." and a path outside it unchanged', () => {
    expect(displayPath('/ws', '/ws')).toBe('.');
    expect(displayPath('/ws', '/elsewhere/x')).toBe('/elsewhere/x');
  });
});
