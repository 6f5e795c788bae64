import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHILD_PATH } from '../harness/env';
import type { Scenario } from '../harness/scenario';
import { startScenario } from '../harness/scenario';

const BATON_BIN = fileURLToPath(new URL('../../../packages/client/bin/baton.js', import.meta.url));
const run = promisify(execFile);

/**
 * The README's demo, as a user runs it: the runtime with the built-in demo model, and the
 * `baton` CLI carrying out a task in a fresh folder (approving everything with --yes).
 */
describe('the demo through the baton CLI', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await startScenario({
      databaseUrl: null,
      script: { agents: {} },
      env: { BATON_MODEL: 'demo' },
    });
  });
  afterAll(() => scenario.close());

  it('plans, writes and runs a program in the folder, and finishes the plan', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'baton-demo-'));
    const { stdout } = await run(
      process.execPath,
      [BATON_BIN, 'run', folder, 'Write a hello world program', '--yes'],
      {
        env: {
          PATH: CHILD_PATH,
          BATON_URL: scenario.runtime.url,
          BATON_TOKEN: scenario.tokens.client,
        },
      },
    );
    expect(stdout).toContain('plan: Write a hello world program');
    expect(stdout).toContain('plan completed');
    expect(stdout).toMatch(/Done \(session session_[0-9a-f]+\)/);
    expect(existsSync(join(folder, 'hello.js'))).toBe(true);
    expect(readFileSync(join(folder, 'README.md'), 'utf8')).toContain('hello.js');
    const sessionId = /Done \(session (session_[0-9a-f]+)\)/.exec(stdout)?.[1] ?? '';
    const details = await scenario.client.sessions.get.query({ sessionId });
    expect(details.session.run).toEqual({ status: 'idle' });
    expect(details.plans.map((plan) => plan.status)).toEqual(['completed']);
    expect(details.calls.every((call) => call.status === 'resolved')).toBe(true);
  });

  it('says what is missing when no token is given', async () => {
    await expect(
      run(process.execPath, [BATON_BIN, 'run', tmpdir(), 'task'], {
        env: { PATH: CHILD_PATH, BATON_URL: scenario.runtime.url },
      }),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('Set BATON_TOKEN') as unknown });
  });
});
