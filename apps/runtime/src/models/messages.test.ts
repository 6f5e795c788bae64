import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';

import { toModelPrompt } from './messages';
import { runModelStep } from './run-model-step';
import { createStepModel } from './step-model';
import { assistant, context, toolResult, user } from './testing/conversation';

const conversation = context(
  user('Build it'),
  assistant('Looking first.', [
    { callId: 'c1', name: 'list_files', arguments: { path: '.' } },
    { callId: 'c2', name: 'read_file', arguments: { path: 'a.js' } },
  ]),
  toolResult('c1', 'list_files', { type: 'result', value: ['a.js', 'b.js'] }),
  toolResult('c2', 'read_file', { type: 'error', message: 'The user rejected this tool call.' }),
  assistant('', [{ callId: 'c3', name: 'execute_command', arguments: { command: 'node a.js' } }]),
  toolResult('c3', 'execute_command', { type: 'result', value: 'hello' }),
  assistant('Done.'),
);

describe('toModelPrompt', () => {
  it('turns domain messages into a provider prompt, one tool message per step, with our call ids', () => {
    expect(toModelPrompt('You are the coder.', conversation)).toEqual([
      { role: 'system', content: 'You are the coder.' },
      { role: 'user', content: [{ type: 'text', text: 'Build it' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Looking first.' },
          { type: 'tool-call', toolCallId: 'c1', toolName: 'list_files', input: { path: '.' } },
          { type: 'tool-call', toolCallId: 'c2', toolName: 'read_file', input: { path: 'a.js' } },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'c1',
            toolName: 'list_files',
            output: { type: 'json', value: ['a.js', 'b.js'] },
          },
          {
            type: 'tool-result',
            toolCallId: 'c2',
            toolName: 'read_file',
            output: { type: 'error-text', value: 'The user rejected this tool call.' },
          },
        ],
      },
      {
        role: 'assistant',
        content: [
          {
            type: 'tool-call',
            toolCallId: 'c3',
            toolName: 'execute_command',
            input: { command: 'node a.js' },
          },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'c3',
            toolName: 'execute_command',
            output: { type: 'text', value: 'hello' },
          },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] },
    ]);
  });

  it('keeps an empty assistant turn as a turn, with a placeholder text providers accept', () => {
    expect(toModelPrompt('', context(user('a'), assistant(''), user('b')))[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: '(no answer)' }],
    });
  });

  it('gives a call with no recorded result an error result, so providers accept the history', () => {
    const messages = toModelPrompt(
      '',
      context(
        user('a'),
        assistant('', [{ callId: 'c1', name: 'list_files', arguments: { path: '.' } }]),
        user('b'),
      ),
    );
    expect(messages[2]).toEqual({
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: 'c1',
          toolName: 'list_files',
          output: { type: 'error-text', value: 'No result was recorded for this tool call.' },
        },
      ],
    });
    expect(messages[3]).toEqual({ role: 'user', content: [{ type: 'text', text: 'b' }] });
  });

  it('reaches the provider intact: the prompt a model receives holds the same turns, ids and outcomes', async () => {
    let seen: LanguageModelV3CallOptions | undefined;
    const model = createStepModel({
      provider: 'test',
      modelId: 'recorder',
      decide: (options) => {
        seen = options;
        return Promise.resolve({ text: 'ok', toolCalls: [] });
      },
    });
    await runModelStep(model, {
      agent: 'coder',
      system: 'You are the coder.',
      messages: conversation,
      tools: ['list_files', 'read_file', 'execute_command'],
    });

    const prompt = seen?.prompt ?? [];
    expect(prompt.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
      'tool',
      'assistant',
    ]);
    expect(prompt[0]).toMatchObject({ content: 'You are the coder.' });
    const back = prompt.flatMap((message) =>
      message.role === 'system'
        ? []
        : message.content.map((part) => {
            if (part.type === 'text') return `${message.role}: ${part.text}`;
            if (part.type === 'tool-call')
              return `call ${part.toolCallId} ${part.toolName} ${JSON.stringify(part.input)}`;
            if (part.type === 'tool-result')
              return `result ${part.toolCallId} ${JSON.stringify(part.output)}`;
            return part.type;
          }),
    );
    expect(back).toEqual([
      'user: Build it',
      'assistant: Looking first.',
      'call c1 list_files {"path":"."}',
      'call c2 read_file {"path":"a.js"}',
      'result c1 {"type":"json","value":["a.js","b.js"]}',
      'result c2 {"type":"error-text","value":"The user rejected this tool call."}',
      'call c3 execute_command {"command":"node a.js"}',
      'result c3 {"type":"text","value":"hello"}',
      'assistant: Done.',
    ]);
    expect(seen?.providerOptions).toEqual({ baton: { agent: 'coder' } });
    expect(seen?.tools?.map((tool) => tool.name)).toEqual([
      'list_files',
      'read_file',
      'execute_command',
    ]);
  });
});
