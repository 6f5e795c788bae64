import type { Message, ToolOutcome } from '@baton/domain';
import type {
  JSONValue,
  LanguageModelV3Message,
  LanguageModelV3Prompt,
  LanguageModelV3ToolResultOutput,
  LanguageModelV3ToolResultPart,
} from '@ai-sdk/provider';

type AssistantContent = Extract<LanguageModelV3Message, { role: 'assistant' }>['content'];

/** What a tool produced, as a provider is given it (errors marked as errors). */
export function toToolResultOutput(outcome: ToolOutcome): LanguageModelV3ToolResultOutput {
  if (outcome.type === 'error') return { type: 'error-text', value: outcome.message };
  if (typeof outcome.value === 'string') return { type: 'text', value: outcome.value };
  // Domain JSON is deeply readonly; the SDK's type is not, but never mutates it.
  return { type: 'json', value: outcome.value as JSONValue };
}

/** What an assistant turn that said nothing and called nothing is shown as. */
const EMPTY_ANSWER = '(no answer)';

/** The result given to a call whose outcome is missing from the context. */
const MISSING_RESULT: ToolOutcome = {
  type: 'error',
  message: 'No result was recorded for this tool call.',
};

/**
 * Converts an agent's system prompt and the domain messages of a context, in order, into the
 * prompt a provider is given (the AI SDK's `LanguageModelV3Prompt`): the system prompt, if any;
 * user text; assistant text plus tool-call parts carrying Baton's call ids; tool messages as
 * tool-result parts (consecutive ones merged into one tool message, errors as `error-text`).
 *
 * Providers refuse a prompt in which an assistant tool call has no result, so a call left
 * without one (which the domain should never produce) gets an error result rather than wedging
 * every later step of the session.
 */
export function toModelPrompt(
  system: string,
  messages: readonly Pick<Message, 'body'>[],
): LanguageModelV3Prompt {
  const out: LanguageModelV3Prompt = system === '' ? [] : [{ role: 'system', content: system }];
  let open = new Map<string, string>(); // callId → tool name, of the last assistant message

  const closeOpenCalls = (): void => {
    if (open.size === 0) return;
    const parts = [...open].map(([callId, name]) => resultPart(callId, name, MISSING_RESULT));
    appendToolParts(out, parts);
    open = new Map();
  };

  for (const { body } of messages) {
    switch (body.role) {
      case 'user':
        closeOpenCalls();
        out.push({ role: 'user', content: [{ type: 'text', text: body.text }] });
        break;
      case 'assistant': {
        closeOpenCalls();
        const content: AssistantContent = [];
        if (body.text !== '') content.push({ type: 'text', text: body.text });
        for (const call of body.toolCalls) {
          content.push({
            type: 'tool-call',
            toolCallId: call.callId,
            toolName: call.name,
            input: call.arguments,
          });
          open.set(call.callId, call.name);
        }
        // Some providers (Anthropic) refuse an empty assistant turn; keep the turn, say it was empty.
        if (content.length === 0) content.push({ type: 'text', text: EMPTY_ANSWER });
        out.push({ role: 'assistant', content });
        break;
      }
      case 'tool':
        open.delete(body.callId);
        appendToolParts(out, [resultPart(body.callId, body.name, body.outcome)]);
        break;
    }
  }
  closeOpenCalls();
  return out;
}

function resultPart(
  callId: string,
  name: string,
  outcome: ToolOutcome,
): LanguageModelV3ToolResultPart {
  return {
    type: 'tool-result',
    toolCallId: callId,
    toolName: name,
    output: toToolResultOutput(outcome),
  };
}

/** Results of one step travel in one tool message (Anthropic wants them together). */
function appendToolParts(out: LanguageModelV3Prompt, parts: LanguageModelV3ToolResultPart[]): void {
  const last = out.at(-1);
  if (last?.role === 'tool') {
    last.content.push(...parts);
    return;
  }
  out.push({ role: 'tool', content: parts });
}
