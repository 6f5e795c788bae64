import type { AgentName, JsonValue, Message, StepToolCall, ToolName } from '@baton/domain';
import type {
  LanguageModelV3,
  LanguageModelV3FunctionTool,
  LanguageModelV3Prompt,
} from '@ai-sdk/provider';

import { ModelStepError } from './errors';
import { toModelPrompt } from './messages';
import type { RetryPolicy, Sleep } from './retry';
import { backoffDelay, classifyFailure, defaultRetryPolicy, realSleep } from './retry';
import { toFunctionTools } from './tools';

/** One step of one agent, as the engine asks for it. */
export interface ModelStepRequest {
  /** Handed to the model as `providerOptions.baton.agent` (Baton's own models read it). */
  readonly agent: AgentName;
  readonly system: string;
  /** The domain messages of the context (session history or one subtask's), in order. */
  readonly messages: readonly Pick<Message, 'body'>[];
  /** The tools the agent may call. */
  readonly tools: readonly ToolName[];
  /** Aborts the step (lease lost, shutdown): it rejects with the signal's reason, no retry. */
  readonly signal?: AbortSignal;
  /** Each piece of text as it streams in. */
  readonly onTextDelta?: (text: string) => void;
  /**
   * Called before each retry. Text already streamed by the failed attempt is not taken back:
   * a listener that shows deltas should start over.
   */
  readonly onRetry?: (retry: { attempt: number; delayMs: number; error: string }) => void;
  readonly retry?: RetryPolicy;
  /**
   * Longest wait for the first or the next piece of output of an attempt, after which the attempt
   * is aborted and retried like a 5xx. Default {@link DEFAULT_IDLE_TIMEOUT_MS}; 0 turns it off.
   */
  readonly timeoutMs?: number;
}

/** Token counts, when the provider reports them. */
export interface ModelStepUsage {
  readonly inputTokens: number | undefined;
  readonly outputTokens: number | undefined;
}

/** What one step produced. */
export interface ModelStepResult {
  readonly text: string;
  /** In the order the model made them; arguments as the model wrote them (validated later). */
  readonly toolCalls: StepToolCall[];
  readonly usage?: ModelStepUsage;
}

/** Two minutes without output: long enough for a slow first token, short of a hung socket. */
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

/** The clock and dice of the retry loop, replaceable in tests. */
export interface ModelStepOptions {
  readonly sleep?: Sleep;
  readonly random?: () => number;
}

/**
 * Runs exactly one model step: converts the context to a provider prompt, offers the agent's
 * tools, streams text to `onTextDelta` and returns the text and tool calls.
 *
 * It calls the model through the AI SDK's provider interface (`LanguageModelV3.doStream`, which
 * every provider implements and `streamText` calls underneath) rather than `streamText`: one
 * step, no tool execution and Baton's own retries and argument validation leave `streamText`
 * nothing to do but validate the whole prompt with zod and pipe each part through a chain of web
 * streams, which cost more CPU than the rest of a tool round trip's model step (bench/README.md).
 *
 * Retries with exponential backoff and jitter on 429, 5xx, network errors and timeouts (the
 * SDK's own retries are off, so this is the only policy), then throws a {@link ModelStepError}.
 * A non-retryable error (400, 401, …) throws at once.
 */
export async function runModelStep(
  model: LanguageModelV3,
  request: ModelStepRequest,
  options: ModelStepOptions = {},
): Promise<ModelStepResult> {
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const policy = request.retry ?? defaultRetryPolicy;
  const attempts = Math.max(1, Math.floor(policy.attempts));
  const tools = request.tools.length > 0 ? await toFunctionTools(request.tools) : undefined;
  const prompt = toModelPrompt(request.system, request.messages);

  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptStep(model, request, prompt, tools);
    } catch (error) {
      if (request.signal?.aborted) throw abortReason(request.signal);
      const failure =
        error instanceof AttemptTimeout
          ? { retryable: true, statusCode: undefined, retryAfterMs: undefined }
          : classifyFailure(error);
      const what = describeError(error);
      if (!failure.retryable) {
        throw new ModelStepError(
          `Model step failed (not retryable): ${what}`,
          attempt,
          failure.statusCode,
          { cause: error },
        );
      }
      if (attempt >= attempts) {
        throw new ModelStepError(
          `Model step failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${what}`,
          attempt,
          failure.statusCode,
          { cause: error },
        );
      }
      const delayMs = backoffDelay(policy, attempt, random, failure.retryAfterMs);
      request.onRetry?.({ attempt, delayMs, error: what });
      try {
        await sleep(delayMs, request.signal);
      } catch (sleepError) {
        if (request.signal?.aborted) throw abortReason(request.signal);
        throw sleepError;
      }
    }
  }
}

/** One attempt timed out (the caller's own signal did not fire). */
class AttemptTimeout extends Error {
  constructor(ms: number) {
    super(`no output for ${ms} ms (timeout)`);
  }
}

/** Aborts its signal when `ms` pass without a `touch()`; `ms` 0 never aborts. */
function idleTimer(ms: number) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const touch = (): void => {
    clearTimeout(timer);
    if (ms > 0) timer = setTimeout(() => controller.abort(new AttemptTimeout(ms)), ms);
  };
  touch();
  return { signal: controller.signal, touch, stop: () => clearTimeout(timer) };
}

async function attemptStep(
  model: LanguageModelV3,
  request: ModelStepRequest,
  prompt: LanguageModelV3Prompt,
  tools: LanguageModelV3FunctionTool[] | undefined,
): Promise<ModelStepResult> {
  const idle = idleTimer(request.timeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
  const signal = request.signal ? AbortSignal.any([request.signal, idle.signal]) : idle.signal;
  let text = '';
  const toolCalls: StepToolCall[] = [];
  let usage: ModelStepUsage | undefined;
  let failure: { error: unknown } | undefined;
  let stopReading = (): void => {};
  try {
    const { stream } = await model.doStream({
      prompt,
      ...(tools ? { tools, toolChoice: { type: 'auto' as const } } : {}),
      abortSignal: signal,
      providerOptions: { baton: { agent: request.agent } },
    });
    const reader = stream.getReader();
    // A provider that ignores the signal must not hold the step: cancelling ends the reads.
    stopReading = () => void reader.cancel(signal.reason).catch(() => undefined);
    signal.addEventListener('abort', stopReading, { once: true });
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      const part = read.value;
      idle.touch();
      switch (part.type) {
        case 'text-delta':
          text += part.delta;
          request.onTextDelta?.(part.delta);
          break;
        case 'tool-call':
          // Arguments the model wrote are kept even when they are not valid JSON or off-schema:
          // the domain answers such a call with a tool error the model can act on.
          toolCalls.push({ name: part.toolName, arguments: parseToolInput(part.input) });
          break;
        case 'finish':
          usage = {
            inputTokens: part.usage.inputTokens.total,
            outputTokens: part.usage.outputTokens.total,
          };
          break;
        case 'error':
          failure ??= { error: part.error };
          break;
        default:
          break;
      }
    }
  } catch (error) {
    failure ??= { error };
  } finally {
    idle.stop();
    signal.removeEventListener('abort', stopReading);
  }
  if (request.signal?.aborted) throw abortReason(request.signal);
  if (idle.signal.aborted) throw idle.signal.reason;
  if (failure) throw failure.error;
  return usage ? { text, toolCalls, usage } : { text, toolCalls };
}

/** A tool call's arguments as the model wrote them: JSON if they parse, else the raw text. */
function parseToolInput(input: string): JsonValue {
  if (input.trim() === '') return {};
  try {
    return JSON.parse(input) as JsonValue;
  } catch {
    return input;
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The model step was aborted.', 'AbortError');
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    return typeof status === 'number' ? `HTTP ${status}: ${error.message}` : error.message;
  }
  return String(error);
}
