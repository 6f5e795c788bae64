import { matchesGlob } from './glob';
import type { ToolName } from './tools';

/** The agents Baton runs. */
export const AgentName = {
  orchestrator: 'orchestrator',
  coder: 'coder',
  architect: 'architect',
  debug: 'debug',
  ask: 'ask',
} as const;
export type AgentName = (typeof AgentName)[keyof typeof AgentName];

/** The agent a new session starts with. */
export const DEFAULT_AGENT: AgentName = AgentName.orchestrator;

/** The agents a plan subtask may be given (the orchestrator plans; it does not run subtasks). */
export const SUBTASK_AGENTS: readonly AgentName[] = ['coder', 'architect', 'debug', 'ask'];

/** A tool an agent may call; `pathGlob` limits the files it may touch with it. */
export interface ToolPermission {
  readonly tool: ToolName;
  readonly pathGlob?: string;
}

/** An agent: what it is told and what it may call. */
export interface AgentDefinition {
  readonly name: AgentName;
  readonly description: string;
  readonly systemPrompt: string;
  readonly tools: readonly ToolPermission[];
}

const READ_TOOLS: readonly ToolPermission[] = [
  { tool: 'read_file' },
  { tool: 'list_files' },
  { tool: 'search_files' },
];

const FINISH_TOOLS: readonly ToolPermission[] = [
  { tool: 'attempt_completion' },
  { tool: 'ask_followup_question' },
];

/** The five agents of SPEC §4, with their permissions. */
export const agents: Readonly<Record<AgentName, AgentDefinition>> = {
  orchestrator: {
    name: 'orchestrator',
    description: 'Understands the request, plans multi-step work and hands it to specialists.',
    systemPrompt:
      'You are the orchestrator. Understand the request, read what you need, then either ' +
      'create_plan with subtasks for the specialist agents (coder, architect, debug, ask) or ' +
      'switch_agent to the one agent that can do it alone. When a plan report arrives, answer ' +
      'the user with a short summary.',
    tools: [...READ_TOOLS, { tool: 'create_plan' }, { tool: 'switch_agent' }],
  },
  coder: {
    name: 'coder',
    description: 'Writes and changes code, runs commands.',
    systemPrompt:
      'You are the coder. Make the change asked for with the workspace tools, check it, and ' +
      'call attempt_completion with what you did.',
    tools: [
      ...READ_TOOLS,
      { tool: 'write_file' },
      { tool: 'execute_command' },
      { tool: 'create_directory' },
      { tool: 'delete_file' },
      { tool: 'move_file' },
      ...FINISH_TOOLS,
    ],
  },
  architect: {
    name: 'architect',
    description: 'Designs; writes Markdown documents only.',
    systemPrompt:
      'You are the architect. Study the workspace and write designs as Markdown files; call ' +
      'attempt_completion with a summary of the design.',
    tools: [...READ_TOOLS, { tool: 'write_file', pathGlob: '*.md' }, ...FINISH_TOOLS],
  },
  debug: {
    name: 'debug',
    description: 'Finds the cause of a failure by reading and running commands.',
    systemPrompt:
      'You are the debugger. Reproduce the problem with commands, find its cause, and call ' +
      'attempt_completion with the diagnosis.',
    tools: [...READ_TOOLS, { tool: 'execute_command' }, ...FINISH_TOOLS],
  },
  ask: {
    name: 'ask',
    description: 'Answers questions about the workspace without changing it.',
    systemPrompt: 'You are the ask agent. Answer the question from what you read; change nothing.',
    tools: [...READ_TOOLS, { tool: 'ask_followup_question' }],
  },
};

/** Whether `name` is one of Baton's agents. */
export function isAgentName(name: string): name is AgentName {
  return Object.hasOwn(agents, name);
}

/** The tool names an agent may call. */
export function toolsOf(agent: AgentName): ToolName[] {
  return [...new Set(agents[agent].tools.map((permission) => permission.tool))];
}

/** The file paths a call touches, for permission rules that limit paths. */
function pathsOf(args: unknown): string[] {
  if (typeof args !== 'object' || args === null) return [];
  const record = args as Record<string, unknown>;
  return ['path', 'from', 'to']
    .map((key) => record[key])
    .filter((value): value is string => typeof value === 'string');
}

/**
 * Whether `agent` may call `tool` with `args`: `null` when it may, else the reason, worded for
 * the model. Checked before anything is dispatched, and again on arguments edited in an approval.
 */
export function checkPermission(agent: AgentName, tool: string, args: unknown): string | null {
  const grants = agents[agent].tools.filter((permission) => permission.tool === tool);
  if (grants.length === 0) {
    return `The ${agent} agent may not call ${tool}. Its tools are: ${toolsOf(agent).join(', ')}.`;
  }
  const paths = pathsOf(args);
  const allowed = grants.some(
    (grant) =>
      grant.pathGlob === undefined ||
      paths.every((path) => matchesGlob(grant.pathGlob as string, path)),
  );
  if (allowed) return null;
  const globs = grants.map((grant) => grant.pathGlob).join(', ');
  return `The ${agent} agent may call ${tool} only on paths matching ${globs}.`;
}
