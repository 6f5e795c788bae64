import type { CreatePlanArguments } from '@baton/domain';
import type { LanguageModelV3Message } from '@ai-sdk/provider';

import { resultsIn, textOf } from './prompt';
import type { StepOutput } from './step-model';

/** The demo's program and the command that checks it. */
export const DEMO_PROGRAM = 'hello.js';
export const DEMO_COMMAND = `node ${DEMO_PROGRAM}`;

const PLAN_REPORT = '[Plan report]';

/**
 * The demo orchestrator, statelessly from its conversation: a new request gets a plan; a plan
 * report gets a short summary; a revision request gets a new plan; anything else plain text.
 */
export function orchestratorStep(
  conversation: readonly LanguageModelV3Message[],
  offered: ReadonlySet<string>,
): StepOutput {
  const last = conversation.at(-1);
  if (last?.role === 'user') {
    const text = textOf(last);
    if (text.startsWith(PLAN_REPORT)) return say(summarize(text));
    if (!offered.has('create_plan'))
      return say(`(demo) I can only answer in text here: "${text}".`);
    return {
      text: 'I will split this into three subtasks: write a program, document it, and run it.',
      toolCalls: [{ name: 'create_plan', arguments: planFor(text) }],
    };
  }
  if (last?.role === 'tool') {
    const planResult = resultsIn(conversation.slice(-2)).find((r) => r.toolName === 'create_plan');
    if (planResult?.isError && /revised plan/i.test(planResult.text)) {
      const feedback = /Feedback: (.*?)(?: Call create_plan|$)/s.exec(planResult.text)?.[1];
      const revised = planFor(lastRequest(conversation), feedback);
      return {
        text: 'Here is a revised plan.',
        toolCalls: [{ name: 'create_plan', arguments: revised }],
      };
    }
    if (planResult?.isError)
      return say(`Understood, the plan is not carried out: ${planResult.text}`);
    if (planResult) return say('The plan is under way.');
  }
  return say('(demo) Nothing for me to do here; send a new request when you are ready.');
}

/** A small three-subtask plan for `request`: program, notes, a run, with dependencies. */
export function planFor(request: string, feedback?: string): CreatePlanArguments {
  const goal = request.trim().slice(0, 500) || 'A small demo program';
  return {
    goal: feedback ? `${goal} (revised: ${feedback.trim()})` : goal,
    subtasks: [
      {
        title: 'Write the program',
        description: `Write \`${DEMO_PROGRAM}\`, a small Node.js program for the goal. Run \`${DEMO_COMMAND}\` to check it.`,
        agent: 'coder',
        dependsOn: [],
      },
      {
        title: 'Write the notes',
        description: `Read \`${DEMO_PROGRAM}\`, then write \`README.md\` saying what it does and how to run it.`,
        agent: 'coder',
        dependsOn: [0],
      },
      {
        title: 'Run and check',
        description: `Run \`${DEMO_COMMAND}\` and report what it prints.`,
        agent: 'debug',
        dependsOn: [0],
      },
    ],
  };
}

function summarize(report: string): string {
  const goal = /"(.*)" is completed/.exec(report)?.[1] ?? 'the plan';
  const done = report.split('\n').filter((line) => line.startsWith('- ['));
  return [`Done: "${goal}" is complete, ${done.length} subtasks in all.`, ...done].join('\n');
}

/** The user's latest request, not counting plan reports. */
function lastRequest(conversation: readonly LanguageModelV3Message[]): string {
  const requests = conversation
    .filter((message) => message.role === 'user')
    .map(textOf)
    .filter((text) => !text.startsWith(PLAN_REPORT));
  return requests.at(-1) ?? '';
}

function say(text: string): StepOutput {
  return { text, toolCalls: [] };
}
