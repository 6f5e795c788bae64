import type { ToolName } from '@baton/domain';
import { toolDescriptions, toolSchemas } from '@baton/domain';
import type { ToolSet } from 'ai';
import { tool, zodSchema } from 'ai';

/** Tool sets already built, by their names joined: an agent's set is built once, not per step. */
const built = new Map<string, ToolSet>();

/**
 * The AI SDK tools for `names`, built from the domain's schemas and descriptions. They have no
 * `execute`: the SDK hands the model's calls back to Baton, which validates, gates and
 * dispatches them itself. Built once per set of names, with each schema wrapped once: the SDK
 * converts a wrapped schema to JSON Schema at its first use and keeps the result, where a bare
 * zod schema would be converted again at every step.
 */
export function toToolSet(names: readonly ToolName[]): ToolSet {
  const key = names.join(',');
  const cached = built.get(key);
  if (cached) return cached;
  const tools: ToolSet = {};
  for (const name of names) {
    tools[name] = tool({
      description: toolDescriptions[name],
      inputSchema: zodSchema(toolSchemas[name]),
    });
  }
  built.set(key, tools);
  return tools;
}
