import { describe, it, expect } from 'vitest';
import type { CreatePlanArguments } from './tools';
import type { Plan, Subtask } from './records';
import type { SubtaskStatus } from './status';
import {
  isPlanDone,
  MAX_PLAN_SUBTASKS,
  nextRunnableSubtask,
  runningSubtask,
  validatePlan,
} from './plan';

type Input = CreatePlanArguments['subtasks'][number];

function sub(agent: string, dependsOn: number[] = [], title = `${agent} work`): Input {
  return { title, description: `do the ${agent} part`, agent, dependsOn };
}

function invalid(subtasks: Input[]): string {
  const checked = validatePlan({ goal: 'g', subtasks });
  if (checked.ok) throw new Error('expected the plan to be refused');
  return checked.message;
}

/** A plan whose subtasks have the given statuses and dependencies. */
function planOf(subtasks: [SubtaskStatus, number[]][]): Plan {
  return {
    id: 'plan-1',
    sessionId: 'session-1',
    goal: 'g',
    status: 'in_progress',
    callId: 'call-1',
    approvalId: null,
    supersedesPlanId: null,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    subtasks: subtasks.map(([status, dependsOn], index): Subtask => ({
      id: `subtask-${index}`,
      planId: 'plan-1',
      index,
      title: `t${index}`,
      description: '',
      agent: 'coder',
      dependsOn,
      status,
      result: status === 'completed' ? `r${index}` : null,
      error: null,
      steps: 0,
    })),
  };
}

describe('validatePlan', () => {
  it('accepts a valid plan and returns its subtasks with sorted, de-duplicated dependencies', () => {
    const checked = validatePlan({
      goal: 'g',
      subtasks: [sub('coder'), sub('architect'), sub('debug', [1, 0, 1])],
    });
    expect(checked).toEqual({
      ok: true,
      subtasks: [
        { title: 'coder work', description: 'do the coder part', agent: 'coder', dependsOn: [] },
        {
          title: 'architect work',
          description: 'do the architect part',
          agent: 'architect',
          dependsOn: [],
        },
        {
          title: 'debug work',
          description: 'do the debug part',
          agent: 'debug',
          dependsOn: [0, 1],
        },
      ],
    });
  });

  it('refuses a plan without subtasks', () => {
    expect(invalid([])).toBe(
      'Invalid plan: a plan needs at least one subtask. Fix it and call create_plan again.',
    );
  });

  it(`accepts ${MAX_PLAN_SUBTASKS} subtasks and refuses one more`, () => {
    const many = Array.from({ length: MAX_PLAN_SUBTASKS }, () => sub('coder'));
    expect(validatePlan({ goal: 'g', subtasks: many }).ok).toBe(true);
    expect(invalid([...many, sub('coder')])).toContain(
      'a plan may have at most 50 subtasks, this one has 51',
    );
  });

  it('refuses an unknown agent, naming the subtask and the agents it may use', () => {
    expect(invalid([sub('coder'), sub('designer', [], 'draw')])).toContain(
      'subtask 1 ("draw"): unknown agent "designer"; use one of coder, architect, debug, ask',
    );
  });

  it('refuses the orchestrator as the agent of a subtask', () => {
    expect(invalid([sub('orchestrator', [], 'plan more')])).toContain(
      'subtask 0 ("plan more"): unknown agent "orchestrator"',
    );
  });

  it('refuses a subtask that depends on itself', () => {
    expect(invalid([sub('coder'), sub('coder', [1])])).toContain('subtask 1 depends on itself');
  });

  it('refuses a dependency on a subtask that does not exist', () => {
    expect(invalid([sub('coder', [2]), sub('coder')])).toContain(
      'subtask 0 depends on 2, which does not exist (indexes are 0..1)',
    );
  });

  it('refuses cyclic dependencies and names the cycle', () => {
    expect(invalid([sub('coder', [1]), sub('coder', [2]), sub('coder', [0])])).toBe(
      'Invalid plan: the dependencies form a cycle: 0 -> 1 -> 2 -> 0. Fix it and call create_plan again.',
    );
    expect(invalid([sub('coder'), sub('coder', [2]), sub('coder', [1])])).toContain(
      'the dependencies form a cycle: 1 -> 2 -> 1',
    );
  });

  it('accepts shared dependencies that form no cycle (a diamond)', () => {
    const diamond = [sub('coder'), sub('coder', [0]), sub('debug', [0]), sub('coder', [1, 2])];
    expect(validatePlan({ goal: 'g', subtasks: diamond }).ok).toBe(true);
  });

  it('lists every problem at once', () => {
    const message = invalid([sub('wizard', [0]), sub('coder', [7])]);
    expect(message).toContain('unknown agent "wizard"');
    expect(message).toContain('subtask 0 depends on itself');
    expect(message).toContain('subtask 1 depends on 7');
  });
});

describe('nextRunnableSubtask', () => {
  it('picks the first pending subtask in plan order', () => {
    expect(
      nextRunnableSubtask(
        planOf([
          ['pending', []],
          ['pending', []],
        ]),
      )?.index,
    ).toBe(0);
    expect(
      nextRunnableSubtask(
        planOf([
          ['completed', []],
          ['pending', []],
        ]),
      )?.index,
    ).toBe(1);
  });

  it('skips a pending subtask whose dependencies are not all completed', () => {
    const plan = planOf([
      ['completed', []],
      ['pending', [0, 2]],
      ['pending', []],
    ]);
    expect(nextRunnableSubtask(plan)?.index).toBe(2);
  });

  it('runs a subtask once all its dependencies are completed', () => {
    const plan = planOf([
      ['completed', []],
      ['pending', [0, 2]],
      ['completed', [0]],
    ]);
    expect(nextRunnableSubtask(plan)?.index).toBe(1);
  });

  it('finds nothing when the only pending subtasks wait on a failed or running one', () => {
    expect(
      nextRunnableSubtask(
        planOf([
          ['failed', []],
          ['pending', [0]],
        ]),
      ),
    ).toBeNull();
    expect(
      nextRunnableSubtask(
        planOf([
          ['running', []],
          ['pending', [0]],
        ]),
      ),
    ).toBeNull();
    expect(
      nextRunnableSubtask(
        planOf([
          ['completed', []],
          ['completed', [0]],
        ]),
      ),
    ).toBeNull();
  });
});

describe('isPlanDone and runningSubtask', () => {
  it('calls a plan done only when every subtask is completed', () => {
    expect(
      isPlanDone(
        planOf([
          ['completed', []],
          ['completed', []],
        ]),
      ),
    ).toBe(true);
    expect(
      isPlanDone(
        planOf([
          ['completed', []],
          ['cancelled', []],
        ]),
      ),
    ).toBe(false);
  });

  it('finds the running subtask, if any', () => {
    expect(
      runningSubtask(
        planOf([
          ['completed', []],
          ['running', []],
        ]),
      )?.index,
    ).toBe(1);
    expect(runningSubtask(planOf([['pending', []]]))).toBeNull();
  });
});
