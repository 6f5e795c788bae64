import type { AgentName, JsonValue, Message, StepToolCall, ToolName } from '@baton/domain';
import type { LanguageModel, ModelMessage, ToolSet } from 'ai';
import { stepCountIs, streamText } from 'ai';

import { ModelStepError } from './errors';
import { toModelMessages } from './messages';
import type { RetryPolicy, Sleep } from './retry';
import { backoffDelay, classifyFailure, defaultRetryPolicy, realSleep } from './retry';
import { toToolSet } from './tools';

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
 * Runs exactly one model step: converts the context to AI SDK messages, offers the agent's tools
 * without `execute` (so the model's calls come back here), streams text to `onTextDelta` and
 * returns the text and tool calls.
 *
 * Retries with exponential backoff and jitter on 429, 5xx, network errors and timeouts (the
 * SDK's own retries are off, so this is the only policy), then throws a {@link ModelStepError}.
 * A non-retryable error (400, 401, …) throws at once.
 */
export async function runModelStep(
  model: LanguageModel,
  request: ModelStepRequest,
  options: ModelStepOptions = {},
): Promise<ModelStepResult> {
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const policy = request.retry ?? defaultRetryPolicy;
  const attempts = Math.max(1, Math.floor(policy.attempts));
  const tools = request.tools.length > 0 ? toToolSet(request.tools) : undefined;
  const messages = toModelMessages(request.messages);

  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptStep(model, request, messages, tools);
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
  model: LanguageModel,
  request: ModelStepRequest,
  messages: ModelMessage[],
  tools: ToolSet | undefined,
): Promise<ModelStepResult> {
  const idle = idleTimer(request.timeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
  const stream = streamText({
    model,
    system: request.system === '' ? undefined : request.system,
    messages,
    tools,
    stopWhen: stepCountIs(1),
    maxRetries: 0,
    abortSignal: request.signal ? AbortSignal.any([request.signal, idle.signal]) : idle.signal,
    providerOptions: { baton: { agent: request.agent } },
    // Errors are read from the stream below; the SDK's default handler would log them.
    onError: () => {},
  });

  let text = '';
  const toolCalls: StepToolCall[] = [];
  let usage: ModelStepUsage | undefined;
  let failure: { error: unknown } | undefined;
  try {
    for await (const part of stream.fullStream) {
      idle.touch();
      switch (part.type) {
        case 'text-delta':
          text += part.text;
          request.onTextDelta?.(part.text);
          break;
        case 'tool-call':
          // Invalid calls (unknown tool, arguments off-schema) come through too: the domain
          // answers them with a tool error the model can act on.
          toolCalls.push({ name: part.toolName, arguments: (part.input ?? {}) as JsonValue });
          break;
        case 'finish-step':
          usage = { inputTokens: part.usage.inputTokens, outputTokens: part.usage.outputTokens };
          break;
        case 'error':
          failure ??= { error: part.error };
          break;
        default:
          break;
      }
    }
  } finally {
    idle.stop();
  }
  if (request.signal?.aborted) throw abortReason(request.signal);
  if (idle.signal.aborted) throw idle.signal.reason;
  if (failure) throw failure.error;
  return usage ? { text, toolCalls, usage } : { text, toolCalls };
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
