import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { executeTool } from './execute-tool';
import { errorOf, makeTempWorkspace, type TempWorkspace } from './testing/temp-workspace';

let ws: TempWorkspace;
beforeEach(async () => {
  ws = await makeTempWorkspace();
});
afterEach(async () => {
  await ws.remove();
});

describe('executeTool', () => {
  it('answers an unknown tool with an error listing the client tools', async () => {
    const message = errorOf(await executeTool(ws, 'rm_rf', {}));
    expect(message).toMatch(/"rm_rf" is not a tool the client runs/);
    expect(message).toMatch(/read_file, write_file/);
  });

  it('answers a runtime tool with an error: the client does not run it', async () => {
    const outcome = await executeTool(ws, 'create_plan', { goal: 'x', subtasks: [] });
    expect(errorOf(outcome)).toMatch(/not a tool the client runs/);
  });

  it('answers invalid arguments with the domain message naming each field', async () => {
    const outcome = await executeTool(ws, 'read_file', { path: 'a', startLine: 0, extra: 1 });
    expect(errorOf(outcome)).toMatch(/^Invalid arguments for read_file: .*startLine/);
  });

  it('answers a call whose signal is already aborted without running it', async () => {
    const outcome = await executeTool(
      ws,
      'write_file',
      { path: 'a', content: 'x' },
      {
        signal: AbortSignal.abort(),
      },
    );
    expect(errorOf(outcome)).toMatch(/write_file was cancelled/);
  });

  it('answers with an error when the workspace folder does not exist', async () => {
    const outcome = await executeTool({ root: path.join(ws.root, 'missing') }, 'list_files', {
      path: '.',
    });
    expect(errorOf(outcome)).toMatch(/workspace folder .* cannot be opened \(ENOENT\)/);
  });
});
