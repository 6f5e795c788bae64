import type { LanguageModelV3 } from '@ai-sdk/provider';
import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';

import { ModelStepError } from './errors';
import type { RetryPolicy } from './retry';
import { backoffDelay, classifyFailure } from './retry';
import type { ModelStepRequest } from './run-model-step';
import { runModelStep } from './run-model-step';
import type { DecideStep } from './step-model';
import { createStepModel } from './step-model';
import { context, user } from './testing/conversation';

const policy: RetryPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };

function apiError(statusCode: number, headers?: Record<string, string>): APICallError {
  return new APICallError({
    message: `status ${statusCode}`,
    url: 'http://model.test/v1/chat/completions',
    requestBodyValues: {},
    statusCode,
    ...(headers ? { responseHeaders: headers } : {}),
  });
}

/** A model whose first attempts throw `errors[i]`, then answers "recovered". */
function failingModel(errors: Error[]) {
  let calls = 0;
  const decide: DecideStep = () => {
    const error = errors[calls++];
    return error === undefined
      ? Promise.resolve({ text: 'recovered', toolCalls: [] })
      : Promise.reject(error);
  };
  return {
    model: createStepModel({ provider: 'test', modelId: 'failing', decide }),
    calls: () => calls,
  };
}

function stepWith(model: LanguageModelV3, extra: Partial<ModelStepRequest> = {}) {
  const sleeps: number[] = [];
  const run = runModelStep(
    model,
    {
      agent: 'coder',
      system: 's',
      messages: context(user('go')),
      tools: [],
      retry: policy,
      ...extra,
    },
    {
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
    },
  );
  return { run, sleeps };
}

describe('the retry policy of a model step', () => {
  it.each([429, 500, 502, 503, 529])('retries after a %i and then succeeds', async (status) => {
    const failing = failingModel([apiError(status), apiError(status)]);
    const { run, sleeps } = stepWith(failing.model);
    await expect(run).resolves.toMatchObject({ text: 'recovered' });
    expect(failing.calls()).toBe(3);
    expect(sleeps).toEqual([75, 150]); // equal jitter at random 0.5: 3/4 of 100, then of 200
  });

  it('does not retry a 400: it fails at once with a ModelStepError', async () => {
    const failing = failingModel([apiError(400)]);
    const { run, sleeps } = stepWith(failing.model);
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelStepError);
    expect(error).toMatchObject({ attempts: 1, statusCode: 400 });
    expect((error as Error).message).toMatch(/not retryable.*HTTP 400/);
    expect(failing.calls()).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('gives up after the last attempt with a ModelStepError that says how often it tried', async () => {
    const failing = failingModel([1, 2, 3, 4, 5].map(() => apiError(503)));
    const { run, sleeps } = stepWith(failing.model);
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelStepError);
    expect((error as Error).message).toBe(
      'Model step failed after 4 attempts: HTTP 503: status 503',
    );
    expect(failing.calls()).toBe(4);
    expect(sleeps).toHaveLength(3);
  });

  it('retries network errors', async () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    const failing = failingModel([refused]);
    const { run } = stepWith(failing.model);
    await expect(run).resolves.toMatchObject({ text: 'recovered' });
  });

  it('aborts an attempt that gives no output for timeoutMs and retries it', async () => {
    let calls = 0;
    const model = createStepModel({
      provider: 'test',
      modelId: 'slow-once',
      decide: ({ abortSignal }) =>
        ++calls === 1
          ? new Promise((_, reject) => {
              abortSignal?.addEventListener('abort', () => reject(abortSignal.reason as Error));
            })
          : Promise.resolve({ text: 'in time', toolCalls: [] }),
    });
    const retries: string[] = [];
    const { run } = stepWith(model, {
      timeoutMs: 30,
      onRetry: ({ error }) => retries.push(error),
    });
    await expect(run).resolves.toMatchObject({ text: 'in time' });
    expect(calls).toBe(2);
    expect(retries).toEqual(['no output for 30 ms (timeout)']);
  });

  it('stops at once when the caller aborts, with the abort reason and no retry', async () => {
    const controller = new AbortController();
    let calls = 0;
    const model = createStepModel({
      provider: 'test',
      modelId: 'hangs',
      decide: ({ abortSignal }) => {
        calls++;
        return new Promise((_, reject) => {
          abortSignal?.addEventListener('abort', () => reject(abortSignal.reason as Error));
        });
      },
    });
    const { run } = stepWith(model, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('lease lost')), 10);
    await expect(run).rejects.toThrow('lease lost');
    expect(calls).toBe(1);
  });

  it('stops waiting between attempts when the caller aborts', async () => {
    const failing = failingModel([apiError(503), apiError(503)]);
    const controller = new AbortController();
    const run = runModelStep(failing.model, {
      agent: 'coder',
      system: 's',
      messages: context(user('go')),
      tools: [],
      retry: { attempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('shutting down')), 20);
    await expect(run).rejects.toThrow('shutting down');
    expect(failing.calls()).toBe(1);
  });
});

describe('classifyFailure', () => {
  it('follows the SDK: 408, 409, 429 and 5xx are retryable, other 4xx are not', () => {
    expect(
      [400, 401, 403, 404, 408, 409, 422, 429, 500, 503].map(
        (s) => classifyFailure(apiError(s)).retryable,
      ),
    ).toEqual([false, false, false, false, true, true, false, true, true, true]);
  });

  it('reads a retry-after header in seconds', () => {
    expect(classifyFailure(apiError(429, { 'retry-after': '2' })).retryAfterMs).toBe(2000);
  });

  it('does not retry an unknown error', () => {
    expect(classifyFailure(new Error('boom')).retryable).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('doubles from the base delay, with jitter, up to the cap', () => {
    const low = [1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 0));
    const high = [1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 1));
    expect(low).toEqual([50, 100, 200, 400, 500]);
    expect(high).toEqual([100, 200, 400, 800, 1000]);
  });

  it('waits at least what the server asked for, but never past the cap', () => {
    expect(backoffDelay(policy, 1, () => 0, 700)).toBe(700);
    expect(backoffDelay(policy, 1, () => 0, 60_000)).toBe(1000);
  });
});
