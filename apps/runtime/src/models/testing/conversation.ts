import type {
  AgentName,
  JsonValue,
  Message,
  MessageBody,
  StepToolCall,
  ToolOutcome,
} from '@baton/domain';
import { agents, toolsOf } from '@baton/domain';
import type { LanguageModelV3 } from '@ai-sdk/provider';

import type { ModelStepResult } from '../run-model-step';
import { runModelStep } from '../run-model-step';

/** Test builders for domain message bodies. */
export const user = (text: string): MessageBody => ({ role: 'user', text });

export const assistant = (
  text: string,
  toolCalls: { callId: string; name: string; arguments: JsonValue }[] = [],
): MessageBody => ({ role: 'assistant', text, toolCalls });

export const toolResult = (callId: string, name: string, outcome: ToolOutcome): MessageBody => ({
  role: 'tool',
  callId,
  name,
  outcome,
});

/** Bodies as the `{ body }` records `runModelStep` takes. */
export const context = (...bodies: MessageBody[]): Pick<Message, 'body'>[] =>
  bodies.map((body) => ({ body }));

/** One step of an agent over `bodies`, with the agent's own prompt and tools. */
export function step(
  model: LanguageModelV3,
  agent: AgentName,
  bodies: readonly MessageBody[],
): Promise<ModelStepResult> {
  return runModelStep(model, {
    agent,
    system: agents[agent].systemPrompt,
    messages: context(...bodies),
    tools: toolsOf(agent),
    retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
  });
}

/**
 * Runs an agent loop the way the engine would: each step's calls get ids and results from
 * `execute`, until the agent calls `attempt_completion` or answers without tools (or 20 steps).
 */
export async function runLoop(
  model: LanguageModelV3,
  agent: AgentName,
  opening: MessageBody[],
  execute: (call: StepToolCall) => ToolOutcome,
): Promise<{ bodies: MessageBody[]; steps: ModelStepResult[] }> {
  const bodies = [...opening];
  const steps: ModelStepResult[] = [];
  let ids = 0;
  for (let i = 0; i < 20; i++) {
    const result = await step(model, agent, bodies);
    steps.push(result);
    const calls = result.toolCalls.map((call) => ({ ...call, callId: `call-${++ids}` }));
    bodies.push(assistant(result.text, calls));
    if (calls.length === 0 || calls.some((call) => call.name === 'attempt_completion')) break;
    for (const call of calls) bodies.push(toolResult(call.callId, call.name, execute(call)));
  }
  return { bodies, steps };
}
