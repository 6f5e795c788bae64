import { z } from 'zod';

const path = z.string().min(1, 'path must not be empty').max(4096);

/**
 * Argument schemas of the tools that run on the client (SPEC §4). Strict: an unknown field is an
 * error the model can read and fix, never silently dropped on the way to the IDE.
 */
export const clientToolSchemas = {
  read_file: z.strictObject({
    path,
    startLine: z.int().min(1).optional(),
    endLine: z.int().min(1).optional(),
  }),
  write_file: z.strictObject({ path, content: z.string() }),
  list_files: z.strictObject({ path, recursive: z.boolean().optional() }),
  search_files: z.strictObject({
    query: z.string().min(1),
    path: path.optional(),
    regex: z.boolean().optional(),
  }),
  execute_command: z.strictObject({
    command: z.string().min(1).max(10_000),
    cwd: path.optional(),
    timeoutMs: z.int().min(1).max(3_600_000).optional(),
  }),
  create_directory: z.strictObject({ path }),
  delete_file: z.strictObject({ path }),
  move_file: z.strictObject({ from: path, to: path }),
} as const;

/** Names of the tools the client executes. */
export type ClientToolName = keyof typeof clientToolSchemas;

/** The shape of `create_plan`'s subtasks; `dependsOn` holds 0-based indexes into the list. */
export const planSubtaskInputSchema = z.strictObject({
  title: z.string().min(1).max(200),
  description: z.string().max(10_000),
  agent: z.string().min(1),
  dependsOn: z.array(z.int().min(0)).default([]),
});

/** Argument schemas of the tools Baton handles itself, never sent to the client. */
export const runtimeToolSchemas = {
  create_plan: z.strictObject({
    goal: z.string().min(1).max(10_000),
    subtasks: z.array(planSubtaskInputSchema),
  }),
  switch_agent: z.strictObject({ agent: z.string().min(1), reason: z.string().optional() }),
  attempt_completion: z.strictObject({ result: z.string() }),
  ask_followup_question: z.strictObject({ question: z.string().min(1) }),
} as const;

/** Names of the tools Baton handles itself. */
export type RuntimeToolName = keyof typeof runtimeToolSchemas;

/** Every tool an agent may be given. */
export type ToolName = ClientToolName | RuntimeToolName;

/** Arguments of `create_plan` after validation. */
export type CreatePlanArguments = z.infer<(typeof runtimeToolSchemas)['create_plan']>;

/** The arguments each tool takes once validated. */
export type ToolArguments = {
  [K in ClientToolName]: z.infer<(typeof clientToolSchemas)[K]>;
} & { [K in RuntimeToolName]: z.infer<(typeof runtimeToolSchemas)[K]> };

/** One-line descriptions handed to the model next to each schema. */
export const toolDescriptions: Record<ToolName, string> = {
  read_file: 'Read a text file of the workspace, optionally a range of lines (1-based, inclusive).',
  write_file: 'Create or overwrite a file of the workspace with the given content.',
  list_files: 'List the entries of a folder of the workspace, recursively if asked.',
  search_files: 'Search the files of the workspace for a text (or a regular expression).',
  execute_command: 'Run a shell command in the workspace and return its exit code and output.',
  create_directory: 'Create a folder (and its parents) in the workspace.',
  delete_file: 'Delete a file of the workspace.',
  move_file: 'Move or rename a file of the workspace.',
  create_plan:
    'Propose a plan: a goal and subtasks, each for one agent, with dependencies by 0-based index.',
  switch_agent: 'Hand the current request to another agent.',
  attempt_completion: 'Finish the current task and report its result.',
  ask_followup_question: 'Ask the user a question; the run ends and their answer comes next.',
};

/** Whether `name` is a tool the client executes. */
export function isClientTool(name: string): name is ClientToolName {
  return Object.hasOwn(clientToolSchemas, name);
}

/** Whether `name` is a tool Baton handles itself. */
export function isRuntimeTool(name: string): name is RuntimeToolName {
  return Object.hasOwn(runtimeToolSchemas, name);
}

/** The tools that end a step's turn by themselves, so they must be the step's only call. */
export const SOLO_TOOLS: readonly RuntimeToolName[] = [
  'create_plan',
  'attempt_completion',
  'ask_followup_question',
];

/** Every tool's argument schema, by name. */
export const toolSchemas: Readonly<Record<ToolName, z.ZodType>> = {
  ...clientToolSchemas,
  ...runtimeToolSchemas,
};

/** The outcome of validating arguments: the parsed value, or a message a model can act on. */
export type ArgumentCheck<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Validates `args` for tool `name` against its schema. The error names each offending field so
 * the model (or the human editing an approval) can correct it.
 */
export function validateToolArguments<N extends ToolName>(
  name: N,
  args: unknown,
): ArgumentCheck<ToolArguments[N]> {
  const parsed = toolSchemas[name].safeParse(args);
  if (parsed.success) return { ok: true, value: parsed.data as ToolArguments[N] };
  const problems = parsed.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(arguments)';
    return `${where}: ${issue.message}`;
  });
  return { ok: false, message: `Invalid arguments for ${name}: ${problems.join('; ')}` };
}
