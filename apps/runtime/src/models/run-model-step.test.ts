import type { LanguageModelV3, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';

import { runModelStep } from './run-model-step';
import { context, user } from './testing/conversation';

const USAGE = {
  inputTokens: { total: 12, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 3, text: undefined, reasoning: undefined },
};

/** A provider whose n-th attempt streams `attempts[n]` (a stream that stays open after them if `hang`). */
function providerOf(attempts: { parts: LanguageModelV3StreamPart[]; hang?: boolean }[]) {
  let calls = 0;
  const model: LanguageModelV3 = {
    specificationVersion: 'v3',
    provider: 'test',
    modelId: 'parts',
    supportedUrls: {},
    doGenerate: () => Promise.reject(new Error('not used')),
    doStream: () => {
      const attempt = attempts[calls++] ?? { parts: [] };
      return Promise.resolve({
        // Ignores the abort signal on purpose, as a badly behaved provider might.
        stream: new ReadableStream<LanguageModelV3StreamPart>({
          start(controller) {
            for (const part of attempt.parts) controller.enqueue(part);
            if (!attempt.hang) controller.close();
          },
        }),
      });
    },
  };
  return { model, calls: () => calls };
}

const request = { agent: 'coder', system: 's', messages: context(user('go')), tools: [] } as const;

describe('runModelStep over a provider stream', () => {
  it('keeps arguments that are not JSON as the text the model wrote, and none as {}', async () => {
    const { model } = providerOf([
      {
        parts: [
          { type: 'tool-call', toolCallId: 'a', toolName: 'read_file', input: '{"path":' },
          { type: 'tool-call', toolCallId: 'b', toolName: 'list_files', input: '' },
          { type: 'tool-call', toolCallId: 'c', toolName: 'read_file', input: '{"path":"x"}' },
          { type: 'finish', finishReason: { unified: 'tool-calls', raw: undefined }, usage: USAGE },
        ],
      },
    ]);
    await expect(runModelStep(model, request)).resolves.toEqual({
      text: '',
      toolCalls: [
        { name: 'read_file', arguments: '{"path":' },
        { name: 'list_files', arguments: {} },
        { name: 'read_file', arguments: { path: 'x' } },
      ],
      usage: { inputTokens: 12, outputTokens: 3 },
    });
  });

  it('ends a stream that stalls and ignores the abort when the idle timeout fires, then retries', async () => {
    const { model, calls } = providerOf([
      { parts: [{ type: 'text-delta', id: 't', delta: 'half an ans' }], hang: true },
      { parts: [{ type: 'text-delta', id: 't', delta: 'whole answer' }] },
    ]);
    const deltas: string[] = [];
    const result = await runModelStep(
      model,
      {
        ...request,
        timeoutMs: 30,
        retry: { attempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
        onTextDelta: (delta) => deltas.push(delta),
      },
      { sleep: () => Promise.resolve() },
    );
    expect(result.text).toBe('whole answer');
    expect(calls()).toBe(2);
    expect(deltas).toEqual(['half an ans', 'whole answer']);
  });

  it('fails with the error part a provider streams', async () => {
    const { model } = providerOf([
      { parts: [{ type: 'error', error: new Error('bad request: context too long') }] },
    ]);
    await expect(runModelStep(model, request)).rejects.toThrow(/context too long/);
  });
});
