import type { CreatePlanArguments, StepToolCall, ToolOutcome } from '@baton/domain';
import { renderSubtaskBrief, validatePlan, validateToolArguments } from '@baton/domain';
import { describe, expect, it } from 'vitest';

import { createDemoModel } from './demo-model';
import { runModelStep } from './run-model-step';
import { assistant, context, runLoop, step, toolResult, user } from './testing/conversation';

const model = createDemoModel();
const request = 'Make a tiny greeting program';

async function planOf(request: string): Promise<CreatePlanArguments> {
  const result = await step(model, 'orchestrator', [user(request)]);
  const call = result.toolCalls[0];
  if (call?.name !== 'create_plan') throw new Error('expected create_plan');
  const args = validateToolArguments('create_plan', call.arguments);
  if (!args.ok) throw new Error(args.message);
  return args.value;
}

function briefOf(plan: CreatePlanArguments, index: number, results: string[] = []): string {
  const subtask = plan.subtasks[index];
  if (!subtask) throw new Error(`no subtask ${index}`);
  return renderSubtaskBrief({
    agent: subtask.agent as 'coder',
    systemPrompt: '',
    goal: plan.goal,
    title: subtask.title,
    description: subtask.description,
    dependencies: subtask.dependsOn.map((dep) => ({
      index: dep,
      title: plan.subtasks[dep]?.title ?? '',
      agent: 'coder',
      result: results[dep] ?? '',
    })),
  });
}

/** A pretend workspace: remembers writes, lists, reads, and "runs" node. */
function workspace() {
  const files = new Map<string, string>();
  const execute = (call: StepToolCall): ToolOutcome => {
    const args = call.arguments as Record<string, string>;
    switch (call.name) {
      case 'list_files':
        return { type: 'result', value: [...files.keys()] };
      case 'read_file': {
        const text = files.get(args.path ?? '');
        return text === undefined
          ? { type: 'error', message: 'ENOENT' }
          : { type: 'result', value: text };
      }
      case 'write_file':
        files.set(args.path ?? '', args.content ?? '');
        return { type: 'result', value: `wrote ${args.path}` };
      case 'execute_command':
        return { type: 'result', value: { exitCode: 0, stdout: 'Hello from Baton!\n' } };
      default:
        return { type: 'error', message: `unexpected ${call.name}` };
    }
  };
  return { files, execute };
}

const completionOf = (calls: readonly StepToolCall[]) =>
  (calls.find((c) => c.name === 'attempt_completion')?.arguments as { result: string } | undefined)
    ?.result;

describe('the demo model', () => {
  it('plans a new request as the orchestrator: three valid subtasks for coder, coder, debug with dependencies', async () => {
    const plan = await planOf(request);
    expect(plan.goal).toBe(request);
    expect(plan.subtasks.map((s) => [s.agent, s.dependsOn])).toEqual([
      ['coder', []],
      ['coder', [0]],
      ['debug', [0]],
    ]);
    expect(validatePlan(plan).ok).toBe(true);
  });

  it('streams its text in several deltas', async () => {
    const deltas: string[] = [];
    const result = await runModelStep(model, {
      agent: 'orchestrator',
      system: '',
      messages: context(user(request)),
      tools: ['create_plan', 'list_files'],
      onTextDelta: (text) => deltas.push(text),
    });
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(result.text);
  });

  it('carries out the subtasks in order: look, write, run, then complete quoting what it saw', async () => {
    const plan = await planOf(request);
    const ws = workspace();

    const first = await runLoop(model, 'coder', [user(briefOf(plan, 0))], ws.execute);
    expect(first.steps.map((s) => s.toolCalls.map((c) => c.name))).toEqual([
      ['list_files'],
      ['write_file'],
      ['execute_command'],
      ['attempt_completion'],
    ]);
    expect(ws.files.get('hello.js')).toContain('Hello from Baton!');
    expect(first.steps[2]?.toolCalls[0]?.arguments).toEqual({ command: 'node hello.js' });
    const result0 = completionOf(first.steps.at(-1)?.toolCalls ?? []) ?? '';
    expect(result0).toContain('execute_command node hello.js');
    expect(result0).toContain('Hello from Baton!');

    const second = await runLoop(model, 'coder', [user(briefOf(plan, 1, [result0]))], ws.execute);
    expect(second.steps.map((s) => s.toolCalls.map((c) => c.name))).toEqual([
      ['list_files', 'read_file'],
      ['write_file'],
      ['attempt_completion'],
    ]);
    expect(ws.files.get('README.md')).toContain('node hello.js');
    expect(ws.files.get('README.md')).toContain("console.log('Hello from Baton!')");

    const third = await runLoop(model, 'debug', [user(briefOf(plan, 2, [result0]))], ws.execute);
    expect(third.steps.map((s) => s.toolCalls.map((c) => c.name))).toEqual([
      ['list_files'],
      ['execute_command'],
      ['attempt_completion'],
    ]);
    expect(completionOf(third.steps.at(-1)?.toolCalls ?? [])).toContain('Hello from Baton!');
  });

  it('acknowledges a rejected call and completes instead of trying again', async () => {
    const plan = await planOf(request);
    const ws = workspace();
    const rejecting = (call: StepToolCall): ToolOutcome =>
      call.name === 'write_file'
        ? {
            type: 'error',
            message: 'The user rejected this tool call; it was not run. Their feedback: not now',
          }
        : ws.execute(call);
    const loop = await runLoop(model, 'coder', [user(briefOf(plan, 0))], rejecting);
    expect(loop.steps.map((s) => s.toolCalls.map((c) => c.name))).toEqual([
      ['list_files'],
      ['write_file'],
      ['attempt_completion'],
    ]);
    expect(completionOf(loop.steps.at(-1)?.toolCalls ?? [])).toMatch(
      /write_file hello.js was not done .*not now/,
    );
  });

  it('summarizes in plain text after a plan report', async () => {
    const report = [
      '[Plan report] The plan "Make a tiny greeting program" is completed. Results:',
      '- [0] Write the program (coder): wrote hello.js',
      '- [1] Write the notes (coder): wrote README.md',
      '- [2] Run and check (debug): it printed Hello from Baton!',
      'Give the user a short summary.',
    ].join('\n');
    const result = await step(model, 'orchestrator', [
      user(request),
      assistant('', [
        { callId: 'p1', name: 'create_plan', arguments: { goal: request, subtasks: [] } },
      ]),
      toolResult('p1', 'create_plan', { type: 'result', value: 'The user approved the plan.' }),
      user(report),
    ]);
    expect(result.toolCalls).toEqual([]);
    expect(result.text).toContain('"Make a tiny greeting program" is complete, 3 subtasks');
    expect(result.text).toContain('it printed Hello from Baton!');
  });

  it('re-plans when asked for a revision, and accepts a rejected plan in plain text', async () => {
    const plan = await planOf(request);
    const history = (outcome: ToolOutcome) => [
      user(request),
      assistant('', [{ callId: 'p1', name: 'create_plan', arguments: plan }]),
      toolResult('p1', 'create_plan', outcome),
    ];
    const revised = await step(
      model,
      'orchestrator',
      history({
        type: 'error',
        message:
          'The user asked for a revised plan. Feedback: use Python Call create_plan again with the revised plan.',
      }),
    );
    expect(revised.toolCalls[0]?.name).toBe('create_plan');
    expect((revised.toolCalls[0]?.arguments as { goal: string }).goal).toBe(
      `${request} (revised: use Python)`,
    );

    const rejected = await step(
      model,
      'orchestrator',
      history({ type: 'error', message: 'The user rejected the plan.' }),
    );
    expect(rejected.toolCalls).toEqual([]);
    expect(rejected.text).toContain('The user rejected the plan.');
  });

  it('answers in plain text where it has nothing to do', async () => {
    const result = await step(model, 'orchestrator', [
      user('hi'),
      assistant('', [{ callId: 's1', name: 'switch_agent', arguments: { agent: 'coder' } }]),
      toolResult('s1', 'switch_agent', { type: 'result', value: 'switched' }),
    ]);
    expect(result.toolCalls).toEqual([]);
    expect(result.text).not.toBe('');
  });

  it('as an agent asked directly, writes and runs the default program', async () => {
    const ws = workspace();
    const loop = await runLoop(model, 'coder', [user('write me something')], ws.execute);
    expect(loop.steps.map((s) => s.toolCalls.map((c) => c.name))).toEqual([
      ['list_files'],
      ['write_file'],
      ['execute_command'],
      ['attempt_completion'],
    ]);
  });
});
