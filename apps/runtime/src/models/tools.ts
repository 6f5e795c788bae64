import type { ToolName } from '@baton/domain';
import { toolDescriptions, toolSchemas } from '@baton/domain';
import type { ToolSet } from 'ai';
import { tool } from 'ai';

/**
 * The AI SDK tools for `names`, built from the domain's schemas and descriptions. They have no
 * `execute`: the SDK hands the model's calls back to Baton, which validates, gates and
 * dispatches them itself.
 */
export function toToolSet(names: readonly ToolName[]): ToolSet {
  const tools: ToolSet = {};
  for (const name of names) {
    tools[name] = tool({ description: toolDescriptions[name], inputSchema: toolSchemas[name] });
  }
  return tools;
}
