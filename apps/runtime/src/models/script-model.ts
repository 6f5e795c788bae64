import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

import { AgentName } from '@baton/domain';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { APICallError } from '@ai-sdk/provider';
import { z } from 'zod';

import { ModelScriptError } from './errors';
import { agentOf, conversationOf } from './prompt';
import { createStepModel } from './step-model';

const scriptStepSchema = z.strictObject({
  text: z.string().optional(),
  toolCalls: z.array(z.strictObject({ name: z.string().min(1), arguments: z.json() })).optional(),
  /** The step takes this long (abortable), before any output. */
  delayMs: z.int().min(0).optional(),
  /** The first N attempts of this step fail with `failStatus`. */
  failTimes: z.int().min(0).optional(),
  failStatus: z.int().min(400).max(599).optional(),
});

/** The `script:` file format: recorded steps per agent. */
export const modelScriptSchema = z.strictObject({
  agents: z.partialRecord(z.enum(AgentName), z.array(scriptStepSchema)),
  /** Past the end of an agent's list, repeat its last step (else answer "script ended"). */
  repeatLast: z.boolean().optional(),
});

/** A parsed model script. */
export type ModelScript = z.infer<typeof modelScriptSchema>;

/** What a step past the end of the script answers. */
export const SCRIPT_ENDED = 'script ended';

/** Parses and validates a script; the error names the file and each offending field. */
export function parseModelScript(source: string, file = '(inline)'): ModelScript {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    throw new ModelScriptError(
      `Model script ${file} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const parsed = modelScriptSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new ModelScriptError(`Model script ${file} is invalid: ${problems.join('; ')}`);
}

/** Reads and validates a script file (at start-up, so a bad script stops the runtime early). */
export function loadModelScript(file: string): ModelScript {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ModelScriptError(`Cannot read model script ${file}: ${(error as Error).message}`);
  }
  return parseModelScript(source, file);
}

/**
 * The `script:` model: replays recorded steps. The step replayed for an agent is the one at index
 * = number of assistant messages already in the conversation, so concurrent sessions and restarts
 * replay the same way. The only state is the count of attempts per conversation, for `failTimes`.
 */
export function createScriptModel(script: ModelScript, name = 'script'): LanguageModelV3 {
  const attempts = new Map<string, number>();
  return createStepModel({
    provider: 'baton',
    modelId: name,
    decide: async (options) => {
      const agent = agentOf(options);
      if (!agent) {
        throw new ModelScriptError('The script model needs providerOptions.baton.agent.');
      }
      const conversation = conversationOf(options);
      const index = conversation.filter((message) => message.role === 'assistant').length;
      const steps = script.agents[agent] ?? [];
      const step = steps[index] ?? (script.repeatLast ? steps.at(-1) : undefined);
      if (!step) return { text: SCRIPT_ENDED, toolCalls: [] };

      if (step.delayMs) await delay(step.delayMs, undefined, { signal: options.abortSignal });
      if (step.failTimes) {
        const key = createHash('sha256')
          .update(JSON.stringify([agent, conversation]))
          .digest('hex');
        const attempt = (attempts.get(key) ?? 0) + 1;
        attempts.set(key, attempt);
        if (attempt <= step.failTimes) {
          const status = step.failStatus ?? 503;
          throw new APICallError({
            message: `Scripted failure ${attempt} of ${step.failTimes} (${agent} step ${index})`,
            url: `script:${name}`,
            requestBodyValues: {},
            statusCode: status,
          });
        }
      }
      return { text: step.text ?? '', toolCalls: step.toolCalls ?? [] };
    },
  });
}
