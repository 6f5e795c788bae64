import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { executeTool } from './execute-tool';
import { errorOf, makeTempWorkspace, resultOf, type TempWorkspace } from './testing/temp-workspace';

let ws: TempWorkspace;
beforeEach(async () => {
  ws = await makeTempWorkspace();
  await ws.put('src/app.ts', 'import { run } from "./run";\nrun(1 + 2);\r\n');
  await ws.put('src/run.ts', 'export function run(n: number) {}\n');
  await ws.put('docs/a+b.md', 'What is a+b?\n');
  await ws.put('.git/config', 'run\n');
  await ws.put('node_modules/x/index.js', 'run\n');
  await ws.put('logo.bin', new Uint8Array([0x72, 0x75, 0x6e, 0, 1]));
});
afterEach(async () => {
  await ws.remove();
});

interface Found {
  matches: { path: string; line: number; text: string }[];
  truncated: boolean;
}

describe('search_files', () => {
  it('finds a literal text with the path and 1-based line of each match', async () => {
    const found = resultOf<Found>(await executeTool(ws, 'search_files', { query: 'run(' }));
    expect(found).toEqual({
      query: 'run(',
      matches: [
        { path: 'src/app.ts', line: 2, text: 'run(1 + 2);' },
        { path: 'src/run.ts', line: 1, text: 'export function run(n: number) {}' },
      ],
      truncated: false,
    });
  });

  it('takes regex characters literally unless regex is true', async () => {
    const found = resultOf<Found>(await executeTool(ws, 'search_files', { query: 'a+b' }));
    expect(found.matches).toEqual([{ path: 'docs/a+b.md', line: 1, text: 'What is a+b?' }]);
  });

  it('matches a regular expression when regex is true', async () => {
    const found = resultOf<Found>(
      await executeTool(ws, 'search_files', { query: '^export\\s+function', regex: true }),
    );
    expect(found.matches.map((match) => match.path)).toEqual(['src/run.ts']);
  });

  it('skips .git, node_modules and binary files', async () => {
    const found = resultOf<Found>(
      await executeTool(ws, 'search_files', { query: '^run', regex: true }),
    );
    expect(found.matches.map((match) => match.path)).toEqual(['src/app.ts']);
  });

  it('searches only under the given path, which may be one file', async () => {
    const inFolder = resultOf<Found>(
      await executeTool(ws, 'search_files', { query: 'run', path: 'src' }),
    );
    expect(new Set(inFolder.matches.map((match) => match.path))).toEqual(
      new Set(['src/app.ts', 'src/run.ts']),
    );
    const inFile = resultOf<Found>(
      await executeTool(ws, 'search_files', { query: 'run', path: 'src/run.ts' }),
    );
    expect(inFile.matches).toHaveLength(1);
  });

  it('stops at 200 matches and says the result was cut', async () => {
    await ws.put('many.txt', 'hit\n'.repeat(250));
    const found = resultOf<Found>(
      await executeTool(ws, 'search_files', { query: 'hit', path: 'many.txt' }),
    );
    expect(found.matches).toHaveLength(200);
    expect(found.truncated).toBe(true);
  });

  it('explains an invalid regular expression', async () => {
    const outcome = await executeTool(ws, 'search_files', { query: '(unclosed', regex: true });
    expect(errorOf(outcome)).toMatch(/not a valid regular expression/);
  });

  it('says a missing search path does not exist', async () => {
    const outcome = await executeTool(ws, 'search_files', { query: 'x', path: 'nope' });
    expect(errorOf(outcome)).toBe('"nope" does not exist.');
  });

  it('refuses a query over 1,000 characters', async () => {
    const outcome = await executeTool(ws, 'search_files', { query: 'x'.repeat(1001) });
    expect(errorOf(outcome)).toMatch(/1001 characters long, over search_files' limit of 1000/);
  });
});

describe('search_files with a regular expression that backtracks catastrophically', () => {
  // ^(a+)+$ tries every split of the a's before it fails on the '!': about 10 s for 28 of them.
  const evil = { query: '^(a+)+$', regex: true, path: 'evil.txt' };
  beforeEach(async () => {
    await ws.put('evil.txt', `${'a'.repeat(28)}!\n`);
  });

  it('is stopped when its time budget runs out, and answers with an error', async () => {
    const started = performance.now();
    const outcome = await executeTool({ ...ws, searchTimeoutMs: 200 }, 'search_files', evil);
    expect(errorOf(outcome)).toMatch(/ran out of its time budget of 200 ms and was stopped/);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('is stopped when the call is aborted, and answers that it was cancelled', async () => {
    const started = performance.now();
    const outcome = await executeTool({ ...ws, searchTimeoutMs: 60_000 }, 'search_files', evil, {
      // Fires whether the worker has started matching or not; either way the call must end.
      signal: AbortSignal.timeout(200),
    });
    expect(errorOf(outcome)).toMatch(/search_files was cancelled/);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('leaves ordinary regular expressions on the same line to finish', async () => {
    const found = resultOf<Found>(
      await executeTool(ws, 'search_files', { ...evil, query: '^a+!$' }),
    );
    expect(found.matches).toEqual([{ path: 'evil.txt', line: 1, text: `${'a'.repeat(28)}!` }]);
  });
});
