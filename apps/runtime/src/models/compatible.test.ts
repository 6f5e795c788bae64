import { afterEach, describe, expect, it } from 'vitest';

import { ModelStepError } from './errors';
import { resolveModel } from './resolve-model';
import { runModelStep } from './run-model-step';
import { assistant, context, toolResult, user } from './testing/conversation';
import type { Reply } from './testing/chat-completions-server';
import { chunk, startChatCompletionsServer } from './testing/chat-completions-server';

/** Text in three deltas, then two parallel tool calls whose arguments arrive in fragments. */
const streamedAnswer: Reply = {
  stream: [
    chunk({ role: 'assistant', content: '' }),
    chunk({ content: 'Let me ' }),
    chunk({ content: 'look at ' }),
    chunk({ content: 'both files.' }),
    chunk({
      tool_calls: [
        {
          index: 0,
          id: 'call_a',
          type: 'function',
          function: { name: 'read_file', arguments: '' },
        },
      ],
    }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"path":' } }] }),
    chunk({
      tool_calls: [
        {
          index: 1,
          id: 'call_b',
          type: 'function',
          function: { name: 'list_files', arguments: '{"pa' },
        },
      ],
    }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '"src/a.js"}' } }] }),
    chunk({ tool_calls: [{ index: 1, function: { arguments: 'th":"src","recursive":true}' } }] }),
    chunk({}, 'tool_calls'),
    {
      id: 'chatcmpl-test',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: 'test-model',
      choices: [],
      usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
    },
  ],
};

const history = context(
  user('Fix the bug'),
  assistant('Checking the tests.', [
    { callId: 'call-1', name: 'execute_command', arguments: { command: 'npm test' } },
  ]),
  toolResult('call-1', 'execute_command', {
    type: 'result',
    value: { exitCode: 1, output: 'FAIL a.test.js' },
  }),
  assistant('', [
    { callId: 'call-2', name: 'write_file', arguments: { path: 'a.js', content: 'x' } },
  ]),
  toolResult('call-2', 'write_file', {
    type: 'error',
    message: 'The user rejected this tool call.',
  }),
);

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function serve(replies: Reply[]) {
  const server = await startChatCompletionsServer(replies);
  close = server.close;
  const model = resolveModel('compatible:test-model', {
    compatibleBaseUrl: server.baseUrl,
    compatibleApiKey: 'local-key',
  });
  return { server, model };
}

describe('the compatible: model against an OpenAI chat-completions server on loopback', () => {
  it('streams text deltas and returns parallel tool calls with parsed arguments', async () => {
    const { model } = await serve([streamedAnswer]);
    const deltas: string[] = [];
    const result = await runModelStep(model, {
      agent: 'coder',
      system: 'You are the coder.',
      messages: history,
      tools: ['read_file', 'list_files', 'write_file', 'execute_command', 'attempt_completion'],
      onTextDelta: (text) => deltas.push(text),
    });
    expect(deltas).toEqual(['Let me ', 'look at ', 'both files.']);
    expect(result.text).toBe('Let me look at both files.');
    expect(result.toolCalls).toEqual([
      { name: 'read_file', arguments: { path: 'src/a.js' } },
      { name: 'list_files', arguments: { path: 'src', recursive: true } },
    ]);
    expect(result.usage).toEqual({ inputTokens: 42, outputTokens: 7 });
  });

  it('sends our tools, the system prompt and the whole conversation, tool results included', async () => {
    const { server, model } = await serve([streamedAnswer]);
    await runModelStep(model, {
      agent: 'coder',
      system: 'You are the coder.',
      messages: history,
      tools: ['read_file', 'write_file', 'execute_command'],
    });

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer local-key');
    const body = request?.body ?? {};
    expect(body).toMatchObject({ model: 'test-model', stream: true });
    expect(body).not.toHaveProperty('baton'); // our providerOptions stay ours

    const tools = body.tools as {
      type: string;
      function: { name: string; description: string; parameters: Record<string, unknown> };
    }[];
    expect(tools.map((t) => t.function.name)).toEqual([
      'read_file',
      'write_file',
      'execute_command',
    ]);
    expect(tools[1]).toMatchObject({
      type: 'function',
      function: {
        description: 'Create or overwrite a file of the workspace with the given content.',
        parameters: {
          type: 'object',
          properties: { path: { type: 'string' }, content: { type: 'string' } },
          required: ['path', 'content'],
          additionalProperties: false,
        },
      },
    });

    expect(body.messages).toEqual([
      { role: 'system', content: 'You are the coder.' },
      { role: 'user', content: 'Fix the bug' },
      {
        role: 'assistant',
        content: 'Checking the tests.',
        tool_calls: [
          {
            id: 'call-1',
            type: 'function',
            function: { name: 'execute_command', arguments: '{"command":"npm test"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call-1', content: '{"exitCode":1,"output":"FAIL a.test.js"}' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call-2',
            type: 'function',
            function: { name: 'write_file', arguments: '{"path":"a.js","content":"x"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call-2', content: 'The user rejected this tool call.' },
    ]);
  });

  it('returns calls that miss the schema or name no tool as they are, for the domain to answer', async () => {
    const { model } = await serve([
      {
        stream: [
          chunk({
            tool_calls: [
              {
                index: 0,
                id: 'a',
                type: 'function',
                function: { name: 'read_file', arguments: '{"file":"x"}' },
              },
              {
                index: 1,
                id: 'b',
                type: 'function',
                function: { name: 'rm_rf', arguments: '{"path":"/"}' },
              },
            ],
          }),
          chunk({}, 'tool_calls'),
        ],
      },
    ]);
    const result = await runModelStep(model, {
      agent: 'coder',
      system: '',
      messages: context(user('go')),
      tools: ['read_file'],
    });
    expect(result.toolCalls).toEqual([
      { name: 'read_file', arguments: { file: 'x' } },
      { name: 'rm_rf', arguments: { path: '/' } },
    ]);
  });

  it('retries a 503 and succeeds on the next answer', async () => {
    const { server, model } = await serve([{ status: 503, error: 'overloaded' }, streamedAnswer]);
    const sleeps: number[] = [];
    const result = await runModelStep(
      model,
      {
        agent: 'coder',
        system: '',
        messages: context(user('go')),
        tools: ['read_file', 'list_files'],
      },
      {
        sleep: (ms) => {
          sleeps.push(ms);
          return Promise.resolve();
        },
      },
    );
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    expect(result.toolCalls).toHaveLength(2);
  });

  it('does not retry a 400: one request, then a ModelStepError carrying the server message', async () => {
    const { server, model } = await serve([{ status: 400, error: 'bad tools' }, streamedAnswer]);
    const run = runModelStep(model, {
      agent: 'coder',
      system: '',
      messages: context(user('go')),
      tools: [],
    });
    await expect(run).rejects.toThrow(ModelStepError);
    await expect(run).rejects.toThrow(/not retryable.*HTTP 400.*bad tools/);
    expect(server.requests).toHaveLength(1);
  });
});
