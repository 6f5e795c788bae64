import type { JsonValue, ToolOutcome } from '@baton/domain';

/** A tool's result, as handed back to the model. */
export function toolResult(value: JsonValue): ToolOutcome {
  return { type: 'result', value };
}

/** An expected failure, worded so the model can act on it. */
export function toolError(message: string): ToolOutcome {
  return { type: 'error', message };
}

/** The outcome of a call whose caller gave up on it. */
export function abortedError(tool: string): ToolOutcome {
  return toolError(`${tool} was cancelled before it finished.`);
}
