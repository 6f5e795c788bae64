import { SUBTASK_AGENTS, AgentName } from '../agents';
import type { StepToolCall } from '../inputs';

const AGENTS = Object.values(AgentName);

/** The `pick`-th item, cycling; undefined for an empty list. */
export function nth<T>(items: readonly T[], pick: number): T | undefined {
  return items.length === 0 ? undefined : items[pick % items.length];
}

function planCall(pick: number, variant: number, valid: boolean): StepToolCall {
  const count = (variant % 4) + 1;
  const subtasks = Array.from({ length: count }, (_, index) => ({
    title: `subtask ${index}`,
    description: `do part ${index}`,
    agent: nth(SUBTASK_AGENTS, pick + index) as string,
    dependsOn: index > 0 && (pick + index) % 2 === 0 ? [index - 1] : [],
  }));
  if (!valid) {
    const first = subtasks[0];
    if (first) first.dependsOn = [count - 1 === 0 ? 0 : count - 1];
    const last = subtasks[count - 1];
    if (last && count > 1) last.dependsOn = [0];
  }
  return { name: 'create_plan', arguments: { goal: `goal ${pick}`, subtasks } };
}

/** What a model step says, by variant: text, parallel calls, runtime tools, and mistakes. */
export function stepOutput(
  pick: number,
  variant: number,
): { text: string; toolCalls: StepToolCall[] } {
  const read = (i: number): StepToolCall => ({
    name: 'read_file',
    arguments: { path: `src/file${i}.ts` },
  });
  switch (variant % 12) {
    case 0:
      return { text: 'Here is my answer.', toolCalls: [] };
    case 1:
      return {
        text: 'Reading.',
        toolCalls: Array.from({ length: (pick % 3) + 1 }, (_, i) => read(i)),
      };
    case 2:
      return {
        text: 'Writing.',
        toolCalls: [
          read(0),
          {
            name: 'write_file',
            arguments: { path: pick % 2 ? 'notes.md' : 'src/a.ts', content: 'x' },
          },
        ],
      };
    case 3:
      return {
        text: 'Running.',
        toolCalls: [{ name: 'execute_command', arguments: { command: 'npm test' } }],
      };
    case 4:
      return {
        text: '',
        toolCalls: [{ name: 'attempt_completion', arguments: { result: `done ${pick}` } }],
      };
    case 5:
      return {
        text: '',
        toolCalls: [{ name: 'ask_followup_question', arguments: { question: 'Which file?' } }],
      };
    case 6:
      return {
        text: '',
        toolCalls: [{ name: 'switch_agent', arguments: { agent: nth(AGENTS, pick) as string } }],
      };
    case 7:
    case 8:
      return { text: 'Planning.', toolCalls: [planCall(pick, variant, true)] };
    case 9:
      return { text: 'Planning badly.', toolCalls: [planCall(pick, variant, false)] };
    case 10:
      return {
        text: 'Mistakes.',
        toolCalls: [
          { name: 'no_such_tool', arguments: {} },
          { name: 'read_file', arguments: { path: 42 } },
          read(1),
        ],
      };
    default:
      return {
        text: 'Done, and one more read.',
        toolCalls: [{ name: 'attempt_completion', arguments: { result: 'x' } }, read(2)],
      };
  }
}
