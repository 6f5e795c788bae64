import type { JsonValue } from '@baton/domain';
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';

/** One step's output, as Baton's built-in models decide it. */
export interface StepOutput {
  readonly text: string;
  readonly toolCalls: readonly { readonly name: string; readonly arguments: JsonValue }[];
}

/** Decides a step from the call a provider would get; may wait, honour the abort signal or throw. */
export type DecideStep = (options: LanguageModelV3CallOptions) => Promise<StepOutput>;

const NO_USAGE: LanguageModelV3Usage = {
  inputTokens: {
    total: undefined,
    noCache: undefined,
    cacheRead: undefined,
    cacheWrite: undefined,
  },
  outputTokens: { total: undefined, text: undefined, reasoning: undefined },
};

/**
 * A {@link LanguageModelV3} — the interface real providers implement — whose output `decide`
 * computes locally. Text streams in a few deltas, then the tool calls, then `finish`.
 */
export function createStepModel(spec: {
  provider: string;
  modelId: string;
  decide: DecideStep;
}): LanguageModelV3 {
  return {
    specificationVersion: 'v3',
    provider: spec.provider,
    modelId: spec.modelId,
    supportedUrls: {},
    async doGenerate(options) {
      const output = await spec.decide(options);
      const content: LanguageModelV3Content[] = [];
      if (output.text !== '') content.push({ type: 'text', text: output.text });
      output.toolCalls.forEach((call, i) => content.push(toolCallOf(call, i)));
      return { content, finishReason: finishOf(output), usage: NO_USAGE, warnings: [] };
    },
    async doStream(options) {
      const output = await spec.decide(options);
      const parts: LanguageModelV3StreamPart[] = [{ type: 'stream-start', warnings: [] }];
      if (output.text !== '') {
        parts.push({ type: 'text-start', id: 'text-0' });
        for (const delta of splitIntoDeltas(output.text)) {
          parts.push({ type: 'text-delta', id: 'text-0', delta });
        }
        parts.push({ type: 'text-end', id: 'text-0' });
      }
      output.toolCalls.forEach((call, i) => parts.push(toolCallOf(call, i)));
      parts.push({ type: 'finish', finishReason: finishOf(output), usage: NO_USAGE });
      return {
        stream: new ReadableStream<LanguageModelV3StreamPart>({
          start(controller) {
            for (const part of parts) controller.enqueue(part);
            controller.close();
          },
        }),
      };
    },
  };
}

function toolCallOf(call: StepOutput['toolCalls'][number], index: number) {
  return {
    type: 'tool-call' as const,
    toolCallId: `call-${index}`,
    toolName: call.name,
    input: JSON.stringify(call.arguments),
  };
}

function finishOf(output: StepOutput) {
  return output.toolCalls.length > 0
    ? { unified: 'tool-calls' as const, raw: 'tool_calls' }
    : { unified: 'stop' as const, raw: 'stop' };
}

/** Splits text at word boundaries into at most `pieces` deltas that join back to it. */
export function splitIntoDeltas(text: string, pieces = 4): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [text];
  const size = Math.ceil(words.length / pieces);
  const deltas: string[] = [];
  for (let i = 0; i < words.length; i += size) deltas.push(words.slice(i, i + size).join(''));
  return deltas;
}
