import type { AgentName } from './agents';
import { isAgentName, SUBTASK_AGENTS } from './agents';
import type { Plan, Subtask } from './records';
import { SubtaskStatus } from './status';
import type { CreatePlanArguments } from './tools';

/** The most subtasks one plan may have. */
export const MAX_PLAN_SUBTASKS = 50;

/** A subtask of a validated plan, before it has ids. */
export interface PlannedSubtask {
  readonly title: string;
  readonly description: string;
  readonly agent: AgentName;
  readonly dependsOn: readonly number[];
}

/** Finds a dependency cycle and returns it as indexes (`[0, 2, 0]`), or null when there is none. */
function findCycle(dependsOn: readonly (readonly number[])[]): number[] | null {
  const state = new Array<'new' | 'open' | 'done'>(dependsOn.length).fill('new');
  const stack: number[] = [];
  const visit = (node: number): number[] | null => {
    state[node] = 'open';
    stack.push(node);
    for (const dep of dependsOn[node] ?? []) {
      if (state[dep] === 'open') return [...stack.slice(stack.indexOf(dep)), dep];
      if (state[dep] === 'new') {
        const cycle = visit(dep);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state[node] = 'done';
    return null;
  };
  for (let node = 0; node < dependsOn.length; node++) {
    if (state[node] === 'new') {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return null;
}

/**
 * Checks a `create_plan` request: at least one and at most {@link MAX_PLAN_SUBTASKS} subtasks,
 * agents that can run subtasks, dependencies that exist, are not the subtask itself and form no
 * cycle. Every problem is listed, in words a model can act on.
 */
export function validatePlan(
  args: CreatePlanArguments,
): { ok: true; subtasks: PlannedSubtask[] } | { ok: false; message: string } {
  const problems: string[] = [];
  const count = args.subtasks.length;
  if (count === 0) problems.push('a plan needs at least one subtask');
  if (count > MAX_PLAN_SUBTASKS) {
    problems.push(`a plan may have at most ${MAX_PLAN_SUBTASKS} subtasks, this one has ${count}`);
  }
  args.subtasks.forEach((subtask, index) => {
    if (!isAgentName(subtask.agent) || !SUBTASK_AGENTS.includes(subtask.agent)) {
      problems.push(
        `subtask ${index} ("${subtask.title}"): unknown agent "${subtask.agent}"; ` +
          `use one of ${SUBTASK_AGENTS.join(', ')}`,
      );
    }
    for (const dep of subtask.dependsOn) {
      if (dep === index) problems.push(`subtask ${index} depends on itself`);
      else if (dep < 0 || dep >= count || !Number.isInteger(dep)) {
        problems.push(
          `subtask ${index} depends on ${dep}, which does not exist (indexes are 0..${count - 1})`,
        );
      }
    }
  });
  if (problems.length === 0) {
    const cycle = findCycle(args.subtasks.map((subtask) => subtask.dependsOn));
    if (cycle) problems.push(`the dependencies form a cycle: ${cycle.join(' -> ')}`);
  }
  if (problems.length > 0) {
    return {
      ok: false,
      message: `Invalid plan: ${problems.join('; ')}. Fix it and call create_plan again.`,
    };
  }
  return {
    ok: true,
    subtasks: args.subtasks.map((subtask) => ({
      title: subtask.title,
      description: subtask.description,
      agent: subtask.agent as AgentName,
      dependsOn: [...new Set(subtask.dependsOn)].sort((a, b) => a - b),
    })),
  };
}

/** The subtask to run next: the first pending one, in plan order, whose dependencies are all completed. */
export function nextRunnableSubtask(plan: Plan): Subtask | null {
  return (
    plan.subtasks.find(
      (subtask) =>
        subtask.status === SubtaskStatus.pending &&
        subtask.dependsOn.every((dep) => plan.subtasks[dep]?.status === SubtaskStatus.completed),
    ) ?? null
  );
}

/** Whether every subtask of the plan is completed. */
export function isPlanDone(plan: Plan): boolean {
  return plan.subtasks.every((subtask) => subtask.status === SubtaskStatus.completed);
}

/** The subtask currently running, if any (at most one, by construction and by constraint). */
export function runningSubtask(plan: Plan): Subtask | null {
  return plan.subtasks.find((subtask) => subtask.status === SubtaskStatus.running) ?? null;
}
