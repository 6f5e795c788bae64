import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type { ToolOutcome } from '@baton/domain';

/** A workspace folder on disk for tests, next to a folder outside it that holds a secret. */
export interface TempWorkspace {
  /** The workspace folder. */
  readonly root: string;
  /** A folder beside the workspace, holding `secret.txt`. */
  readonly outside: string;
  /** Writes `content` at `relative` inside the workspace, creating folders. */
  readonly put: (relative: string, content: string | Uint8Array) => Promise<string>;
  readonly remove: () => Promise<void>;
}

/** Makes a fresh workspace under the system's temp folder. */
export async function makeTempWorkspace(): Promise<TempWorkspace> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'baton-tools-'));
  const root = path.join(base, 'workspace');
  const outside = path.join(base, 'outside');
  await mkdir(root);
  await mkdir(outside);
  await writeFile(path.join(outside, 'secret.txt'), 'top secret\n');
  return {
    root,
    outside,
    put: async (relative, content) => {
      const absolute = path.join(root, relative);
      await mkdir(path.dirname(absolute), { recursive: true });
      await writeFile(absolute, content);
      return absolute;
    },
    remove: () => rm(base, { recursive: true, force: true }),
  };
}

/** The value of a result outcome; fails the test with the message of an error outcome. */
export function resultOf<T = Record<string, unknown>>(outcome: ToolOutcome): T {
  if (outcome.type !== 'result') throw new Error(`expected a result, got: ${outcome.message}`);
  return outcome.value as T;
}

/** The message of an error outcome; fails the test on a result. */
export function errorOf(outcome: ToolOutcome): string {
  if (outcome.type !== 'error') {
    throw new Error(`expected an error, got: ${JSON.stringify(outcome.value)}`);
  }
  return outcome.message;
}
