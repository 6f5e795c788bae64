import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { ModelScriptError, ModelStepError } from './errors';
import { resolveModel } from './resolve-model';
import { runModelStep } from './run-model-step';
import type { ModelScript } from './script-model';
import { SCRIPT_ENDED, createScriptModel, parseModelScript } from './script-model';
import { assistant, context, step, toolResult, user } from './testing/conversation';

const script: ModelScript = {
  agents: {
    coder: [
      { text: 'first', toolCalls: [{ name: 'list_files', arguments: { path: '.' } }] },
      {
        toolCalls: [
          { name: 'write_file', arguments: { path: 'a.txt', content: 'A' } },
          { name: 'write_file', arguments: { path: 'b.txt', content: 'B' } },
        ],
      },
      { text: 'the end' },
    ],
  },
};

/** A coder conversation with `n` assistant turns already in it. */
function afterTurns(n: number) {
  const bodies = [user('go')];
  for (let i = 0; i < n; i++) {
    bodies.push(assistant('', [{ callId: `c${i}`, name: 'list_files', arguments: { path: '.' } }]));
    bodies.push(toolResult(`c${i}`, 'list_files', { type: 'result', value: [] }));
  }
  return bodies;
}

describe('the script model', () => {
  it('replays the entry at the index of the assistant messages already in the conversation', async () => {
    const model = createScriptModel(script);
    await expect(step(model, 'coder', afterTurns(0))).resolves.toMatchObject({
      text: 'first',
      toolCalls: [{ name: 'list_files', arguments: { path: '.' } }],
    });
    await expect(step(model, 'coder', afterTurns(1))).resolves.toMatchObject({
      text: '',
      toolCalls: [
        { name: 'write_file', arguments: { path: 'a.txt', content: 'A' } },
        { name: 'write_file', arguments: { path: 'b.txt', content: 'B' } },
      ],
    });
    // The same conversation again (another session, or after a restart) replays the same step.
    await expect(step(model, 'coder', afterTurns(0))).resolves.toMatchObject({ text: 'first' });
    await expect(step(model, 'coder', afterTurns(2))).resolves.toMatchObject({
      text: 'the end',
      toolCalls: [],
    });
  });

  it('answers "script ended" past the end, or repeats the last entry with repeatLast', async () => {
    await expect(step(createScriptModel(script), 'coder', afterTurns(3))).resolves.toMatchObject({
      text: SCRIPT_ENDED,
      toolCalls: [],
    });
    await expect(step(createScriptModel(script), 'debug', afterTurns(0))).resolves.toMatchObject({
      text: SCRIPT_ENDED,
    });
    const repeating = createScriptModel({ ...script, repeatLast: true });
    await expect(step(repeating, 'coder', afterTurns(7))).resolves.toMatchObject({
      text: 'the end',
    });
  });

  it('streams its text in more than one delta', async () => {
    const deltas: string[] = [];
    const model = createScriptModel({ agents: { ask: [{ text: 'one two three four five' }] } });
    await runModelStep(model, {
      agent: 'ask',
      system: '',
      messages: context(user('?')),
      tools: [],
      onTextDelta: (delta) => deltas.push(delta),
    });
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('one two three four five');
  });

  it('takes delayMs to answer, and an abort ends the wait at once', async () => {
    const model = createScriptModel({ agents: { coder: [{ text: 'late', delayMs: 60_000 }] } });
    const controller = new AbortController();
    const started = Date.now();
    const run = runModelStep(model, {
      agent: 'coder',
      system: '',
      messages: context(user('go')),
      tools: [],
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('runtime stopping')), 20);
    await expect(run).rejects.toThrow('runtime stopping');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails the first failTimes attempts of a step with failStatus, which the retry policy rides out', async () => {
    const model = createScriptModel({
      agents: { coder: [{ text: 'finally', failTimes: 2, failStatus: 429 }] },
    });
    const retries: string[] = [];
    const result = await runModelStep(
      model,
      {
        agent: 'coder',
        system: '',
        messages: context(user('go')),
        tools: [],
        retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
        onRetry: ({ error }) => retries.push(error),
      },
      { sleep: () => Promise.resolve() },
    );
    expect(result.text).toBe('finally');
    expect(retries).toHaveLength(2);
    expect(retries[0]).toMatch(/^HTTP 429: Scripted failure 1 of 2/);
  });

  it('throws a ModelStepError when the failures outlast the retries', async () => {
    const model = createScriptModel({ agents: { coder: [{ text: 'never', failTimes: 5 }] } });
    const run = runModelStep(
      model,
      {
        agent: 'coder',
        system: '',
        messages: context(user('go')),
        tools: [],
        retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
      },
      { sleep: () => Promise.resolve() },
    );
    await expect(run).rejects.toThrow(ModelStepError);
    await expect(run).rejects.toThrow(/after 3 attempts: HTTP 503/);
  });

  it('counts failed attempts per conversation, so another session fails on its own', async () => {
    const model = createScriptModel({ agents: { coder: [{ text: 'ok', failTimes: 1 }] } });
    const once = (request: string) =>
      runModelStep(model, {
        agent: 'coder',
        system: '',
        messages: context(user(request)),
        tools: [],
        retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
      });
    await expect(once('session A')).rejects.toThrow(ModelStepError);
    await expect(once('session B')).rejects.toThrow(ModelStepError);
    await expect(once('session A')).resolves.toMatchObject({ text: 'ok' });
  });
});

describe('parsing a model script', () => {
  it('names the file and each offending field', () => {
    expect(() =>
      parseModelScript(
        JSON.stringify({ agents: { coder: [{ toolCalls: [{ name: '' }] }], wizard: [] } }),
        'bad.json',
      ),
    ).toThrow(
      /^Model script bad\.json is invalid: .*agents\.coder\.0\.toolCalls\.0\.name: .*agents.*wizard/,
    );
  });

  it('says when the file is not JSON or cannot be read', () => {
    expect(() => parseModelScript('{', 'x.json')).toThrow(/Model script x\.json is not valid JSON/);
    expect(() => resolveModel('script:/nonexistent/steps.json')).toThrow(ModelScriptError);
    expect(() => resolveModel('script:/nonexistent/steps.json')).toThrow(
      /Cannot read model script/,
    );
  });

  it('loads a script file named by a script: spec', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-script-'));
    const file = path.join(dir, 'steps.json');
    writeFileSync(file, JSON.stringify({ agents: { ask: [{ text: 'from the file' }] } }));
    await expect(step(resolveModel(`script:${file}`), 'ask', [user('?')])).resolves.toMatchObject({
      text: 'from the file',
    });
  });
});
