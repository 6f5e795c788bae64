import type { ToolName } from '@baton/domain';
import { toolDescriptions, toolSchemas } from '@baton/domain';
import type { LanguageModelV3FunctionTool } from '@ai-sdk/provider';
import { zodSchema } from 'ai';

/** Tool lists already built, by their names joined: an agent's list is built once, not per step. */
const built = new Map<string, Promise<LanguageModelV3FunctionTool[]>>();

/**
 * The tools for `names` as a provider is given them: name, description and the JSON Schema of
 * the domain's argument schema (converted by the AI SDK, as `streamText` would). A tool has no
 * `execute`: the model's calls come back to Baton, which validates, gates and dispatches them.
 * Built once per set of names.
 */
export function toFunctionTools(
  names: readonly ToolName[],
): Promise<LanguageModelV3FunctionTool[]> {
  const key = names.join(',');
  let tools = built.get(key);
  if (!tools) {
    tools = Promise.all(
      names.map(async (name) => ({
        type: 'function' as const,
        name,
        description: toolDescriptions[name],
        inputSchema: await zodSchema(toolSchemas[name]).jsonSchema,
      })),
    );
    built.set(key, tools);
  }
  return tools;
}
