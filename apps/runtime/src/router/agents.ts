import { agents, toolDescriptions, toolSchemas, toolsOf } from '@baton/domain';
import { z } from 'zod';
import { clientProcedure, router } from '../trpc';

/** `agents.list`: the agents, their tools and each tool's JSON schema (for argument editors). */
export const agentsRouter = router({
  list: clientProcedure.query(() =>
    Object.values(agents).map((agent) => ({
      name: agent.name,
      description: agent.description,
      tools: toolsOf(agent.name).map((tool) => ({
        name: tool,
        description: toolDescriptions[tool],
        pathGlob: agent.tools.find((p) => p.tool === tool && p.pathGlob)?.pathGlob ?? null,
        schema: z.toJSONSchema(toolSchemas[tool], { io: 'input' }),
      })),
    })),
  ),
});
