import type { AgentName } from '@baton/domain';
import { isAgentName } from '@baton/domain';
import type {
  LanguageModelV3CallOptions,
  LanguageModelV3Message,
  LanguageModelV3ToolResultOutput,
} from '@ai-sdk/provider';

/**
 * Reading the prompt a provider receives, for Baton's built-in models: they are stateless, so
 * everything they decide comes from here.
 */

/** The agent `runModelStep` passed as `providerOptions.baton.agent`, if it is one. */
export function agentOf(options: LanguageModelV3CallOptions): AgentName | undefined {
  const agent = options.providerOptions?.baton?.agent;
  return typeof agent === 'string' && isAgentName(agent) ? agent : undefined;
}

/** The conversation: every message but the system prompt. */
export function conversationOf(options: LanguageModelV3CallOptions): LanguageModelV3Message[] {
  return options.prompt.filter((message) => message.role !== 'system');
}

/** The text of a user or assistant message. */
export function textOf(message: LanguageModelV3Message): string {
  if (message.role === 'system') return message.content;
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** A tool result the model sees: which call, and what it said. */
export interface SeenResult {
  readonly toolName: string;
  readonly input: unknown;
  readonly isError: boolean;
  readonly text: string;
}

/** The tool results in `messages`, each with the input of the call it answers. */
export function resultsIn(messages: readonly LanguageModelV3Message[]): SeenResult[] {
  const inputs = new Map<string, unknown>();
  const results: SeenResult[] = [];
  for (const message of messages) {
    if (message.role === 'assistant') {
      for (const part of message.content) {
        if (part.type === 'tool-call') inputs.set(part.toolCallId, part.input);
      }
    } else if (message.role === 'tool') {
      for (const part of message.content) {
        if (part.type !== 'tool-result') continue;
        results.push({
          toolName: part.toolName,
          input: inputs.get(part.toolCallId),
          isError: isErrorOutput(part.output),
          text: outputText(part.output),
        });
      }
    }
  }
  return results;
}

function isErrorOutput(output: LanguageModelV3ToolResultOutput): boolean {
  return ['error-text', 'error-json', 'execution-denied'].includes(output.type);
}

function outputText(output: LanguageModelV3ToolResultOutput): string {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.value;
    case 'json':
    case 'error-json':
      return JSON.stringify(output.value);
    case 'execution-denied':
      return output.reason ?? 'The tool call was denied.';
    case 'content':
      return output.value.map((part) => (part.type === 'text' ? part.text : '')).join('');
  }
}
