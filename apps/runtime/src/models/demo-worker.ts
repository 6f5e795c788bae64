import type { AgentName, JsonValue } from '@baton/domain';
import { checkPermission } from '@baton/domain';
import type { LanguageModelV3Message } from '@ai-sdk/provider';

import { DEMO_COMMAND, DEMO_PROGRAM } from './demo-orchestrator';
import type { SeenResult } from './prompt';
import { resultsIn, textOf } from './prompt';
import type { StepOutput } from './step-model';

type Call = StepOutput['toolCalls'][number];

/**
 * A demo specialist (coder, debug, …) working on the task of its conversation's last user message
 * (a subtask brief, or a request sent to it directly). Its moves follow from the task: look at
 * the workspace (and read what the task names), write the files it names, run the command it
 * names, then complete with what it saw. Which move comes next is the number of steps it has
 * already taken; an error result (a rejected approval, a failed read) makes it stop and say so.
 */
export function workerStep(
  agent: AgentName,
  conversation: readonly LanguageModelV3Message[],
  offered: ReadonlySet<string>,
): StepOutput {
  const start = conversation.map((message) => message.role).lastIndexOf('user');
  const task = start >= 0 ? textOf(conversation[start] as LanguageModelV3Message) : '';
  const since = conversation.slice(start + 1);
  const results = resultsIn(since);
  const last = since.at(-1);
  const latest =
    last?.role === 'tool'
      ? results.slice(results.length - last.content.filter((p) => p.type === 'tool-result').length)
      : [];
  const failed = latest.find((result) => result.isError);
  const moves = movesFor(agent, task, results, offered);
  const taken = since.filter((message) => message.role === 'assistant').length;

  const move = failed ? undefined : moves[taken];
  if (move) return move;
  return finish(task, results, failed, offered);
}

/** Every move of a task but the last, each a step of parallel calls, with a line of narration. */
function movesFor(
  agent: AgentName,
  task: string,
  results: readonly SeenResult[],
  offered: ReadonlySet<string>,
): StepOutput[] {
  const orders = instructionsOf(task);
  const named = (verb: string) =>
    [...orders.matchAll(new RegExp(`\\b${verb} \`([^\`]+)\``, 'gi'))].map((m) => m[1] as string);
  const explicit = /`[^`]+`/.test(orders);
  const reads = named('read');
  const writes = explicit ? named('write') : [DEMO_PROGRAM];
  const command = explicit ? named('run')[0] : DEMO_COMMAND;
  const may = (tool: string, args: JsonValue = {}) =>
    offered.has(tool) && checkPermission(agent, tool, args) === null;

  const look: Call[] = [
    ...(may('list_files') ? [{ name: 'list_files', arguments: { path: '.' } }] : []),
    ...reads
      .filter(() => may('read_file'))
      .map((path) => ({ name: 'read_file', arguments: { path } })),
  ];
  const writable = writes.filter((path) => may('write_file', { path }));
  const write: Call[] = writable.map((path) => ({
    name: 'write_file',
    arguments: { path, content: contentFor(path, goalOf(task), results) },
  }));
  const run: Call[] =
    command && may('execute_command') ? [{ name: 'execute_command', arguments: { command } }] : [];

  return [
    { text: 'Let me look at the workspace first.', toolCalls: look },
    { text: `Writing ${writable.join(' and ')}.`, toolCalls: write },
    { text: `Running \`${command}\`.`, toolCalls: run },
  ].filter((move) => move.toolCalls.length > 0);
}

function finish(
  task: string,
  results: readonly SeenResult[],
  failed: SeenResult | undefined,
  offered: ReadonlySet<string>,
): StepOutput {
  const title = /^Your subtask: (.*)$/m.exec(task)?.[1] ?? (task.split('\n')[0] || 'the task');
  const seen = results
    .filter((r) => r !== failed)
    .map((r) => `${describe(r)} → ${excerpt(r.text)}`);
  const result = failed
    ? `Stopped "${title}": ${describe(failed)} was not done (${failed.text}). Moving on.`
    : [`Done: ${title}.`, ...seen.map((line) => `- ${line}`)].join('\n');
  if (offered.has('attempt_completion')) {
    return {
      text: failed ? 'Acknowledged; I will not retry that.' : 'All done.',
      toolCalls: [{ name: 'attempt_completion', arguments: { result } }],
    };
  }
  return { text: result, toolCalls: [] };
}

function contentFor(path: string, goal: string, results: readonly SeenResult[]): string {
  if (path.endsWith('.js')) {
    return [
      `// ${path}, written by Baton's demo coder.`,
      `const goal = ${JSON.stringify(goal)};`,
      `console.log('Hello from Baton!');`,
      'console.log(`Goal: ${goal}`);',
      '',
    ].join('\n');
  }
  const source = results.find((r) => r.toolName === 'read_file' && !r.isError);
  return [
    `# ${goal.split('\n')[0]}`,
    '',
    `\`${DEMO_PROGRAM}\` prints a greeting and the goal. Run it with \`${DEMO_COMMAND}\`.`,
    ...(source ? ['', '```js', fileText(source.text).trimEnd(), '```'] : []),
    '',
  ].join('\n');
}

/**
 * The part of a task that says what to do: in a subtask brief, the subtask's own title and
 * description (not the goal, nor the results of other subtasks, which may quote anything).
 */
function instructionsOf(task: string): string {
  const from = task.indexOf('Your subtask:');
  if (from < 0) return task;
  const rest = task.slice(from);
  const end = rest.search(/\n\n(Results of the subtasks|Work only on this subtask)/);
  return end < 0 ? rest : rest.slice(0, end);
}

function goalOf(task: string): string {
  return /^Plan goal: (.*)$/m.exec(task)?.[1] ?? task.trim().split('\n')[0] ?? '';
}

/** A read result may be the text itself or a JSON object holding it. */
function fileText(result: string): string {
  try {
    const parsed: unknown = JSON.parse(result);
    if (typeof parsed === 'string') return parsed;
    if (typeof parsed === 'object' && parsed !== null && 'content' in parsed) {
      return String(parsed.content);
    }
  } catch {
    // not JSON: the text itself
  }
  return result;
}

function describe(result: SeenResult): string {
  const input = (result.input ?? {}) as { path?: unknown; command?: unknown };
  const about = typeof input.command === 'string' ? input.command : input.path;
  return typeof about === 'string' ? `${result.toolName} ${about}` : result.toolName;
}

function excerpt(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
