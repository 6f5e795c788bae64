import { describe, it, expect } from 'vitest';
import { agents } from './agents';
import type { Plan, Subtask } from './records';
import { buildSubtaskContext, renderSubtaskBrief } from './subtask-context';

function subtask(index: number, patch: Partial<Subtask> = {}): Subtask {
  return {
    id: `subtask-${index}`,
    planId: 'plan-1',
    index,
    title: `title ${index}`,
    description: `description ${index}`,
    agent: 'coder',
    dependsOn: [],
    status: 'pending',
    result: null,
    error: null,
    steps: 0,
    ...patch,
  };
}

const plan: Plan = {
  id: 'plan-1',
  sessionId: 'session-1',
  goal: 'Add a health endpoint',
  status: 'in_progress',
  callId: 'call-1',
  approvalId: null,
  supersedesPlanId: null,
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:00:00.000Z',
  subtasks: [
    subtask(0, { agent: 'architect', status: 'completed', result: 'design in docs/health.md' }),
    subtask(1, { status: 'completed', result: 'unrelated result' }),
    subtask(2, { agent: 'coder', dependsOn: [0] }),
    subtask(3, { agent: 'ask' }),
  ],
};

describe('buildSubtaskContext', () => {
  it('holds the agent prompt, the plan goal, the title and description of the subtask', () => {
    const context = buildSubtaskContext(plan, plan.subtasks[2] as Subtask);
    expect(context).toMatchObject({
      agent: 'coder',
      systemPrompt: agents.coder.systemPrompt,
      goal: 'Add a health endpoint',
      title: 'title 2',
      description: 'description 2',
    });
  });

  it('holds the results of the subtasks it depends on, and only those', () => {
    const context = buildSubtaskContext(plan, plan.subtasks[2] as Subtask);
    expect(context.dependencies).toEqual([
      { index: 0, title: 'title 0', agent: 'architect', result: 'design in docs/health.md' },
    ]);
  });

  it('has no dependencies for a subtask that depends on nothing', () => {
    expect(buildSubtaskContext(plan, plan.subtasks[3] as Subtask).dependencies).toEqual([]);
  });
});

describe('renderSubtaskBrief', () => {
  it('writes the goal, the subtask and its dependency results into the brief', () => {
    const brief = renderSubtaskBrief(buildSubtaskContext(plan, plan.subtasks[2] as Subtask));
    expect(brief).toContain('Plan goal: Add a health endpoint');
    expect(brief).toContain('Your subtask: title 2\ndescription 2');
    expect(brief).toContain('- [0] title 0 (architect): design in docs/health.md');
    expect(brief).not.toContain('unrelated result');
    expect(brief).toContain('call attempt_completion with its result');
  });

  it('is built from the plan alone, not from any session history', () => {
    const brief = renderSubtaskBrief(buildSubtaskContext(plan, plan.subtasks[3] as Subtask));
    expect(brief).toBe(
      [
        'Plan goal: Add a health endpoint',
        '',
        'Your subtask: title 3',
        'description 3',
        '',
        'Work only on this subtask. When it is done, answer with its result in plain text.',
      ].join('\n'),
    );
  });
});
