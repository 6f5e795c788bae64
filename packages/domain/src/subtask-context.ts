import type { AgentName } from './agents';
import { agents, toolsOf } from './agents';
import type { Plan, Subtask } from './records';

/**
 * Everything a subtask's agent starts from: its own prompt, the plan goal, its title and
 * description, and the results of the subtasks it depends on. Not the session history.
 */
export interface SubtaskContext {
  readonly agent: AgentName;
  readonly systemPrompt: string;
  readonly goal: string;
  readonly title: string;
  readonly description: string;
  readonly dependencies: readonly {
    index: number;
    title: string;
    agent: AgentName;
    result: string;
  }[];
}

/** Builds the context of `subtask` from its plan. */
export function buildSubtaskContext(plan: Plan, subtask: Subtask): SubtaskContext {
  return {
    agent: subtask.agent,
    systemPrompt: agents[subtask.agent].systemPrompt,
    goal: plan.goal,
    title: subtask.title,
    description: subtask.description,
    dependencies: subtask.dependsOn.flatMap((index) => {
      const dep = plan.subtasks[index];
      return dep ? [{ index, title: dep.title, agent: dep.agent, result: dep.result ?? '' }] : [];
    }),
  };
}

/** The brief that opens a subtask's own conversation, as the first user message of its context. */
export function renderSubtaskBrief(context: SubtaskContext): string {
  const lines = [
    `Plan goal: ${context.goal}`,
    '',
    `Your subtask: ${context.title}`,
    context.description,
  ];
  if (context.dependencies.length > 0) {
    lines.push('', 'Results of the subtasks this one depends on:');
    for (const dep of context.dependencies) {
      lines.push(`- [${dep.index}] ${dep.title} (${dep.agent}): ${dep.result}`);
    }
  }
  const finish = toolsOf(context.agent).includes('attempt_completion')
    ? 'call attempt_completion with its result'
    : 'answer with its result in plain text';
  lines.push('', `Work only on this subtask. When it is done, ${finish}.`);
  return lines.join('\n');
}
