import type { AgentName, Message, StepToolCall, ToolName } from '@baton/domain';

/** What the engine asks of a model for one step. */
export interface ModelStepRequest {
  readonly agent: AgentName;
  readonly system: string;
  readonly messages: readonly Message[];
  readonly tools: readonly ToolName[];
  readonly signal: AbortSignal;
  readonly onTextDelta: (text: string) => void;
}

/** What one model step produced. */
export interface ModelStepOutput {
  readonly text: string;
  readonly toolCalls: readonly StepToolCall[];
}

/**
 * Runs one model step (with its retries); throws when the step failed for good. The server
 * wires it to the AI SDK models; tests may hand in any function of this shape.
 */
export type RunModelStep = (request: ModelStepRequest) => Promise<ModelStepOutput>;
