import type { Script, ScriptStep } from './scenario';

const call = (name: string, args: Record<string, unknown>) => ({ name, arguments: args });

/** The results the plan script's subtasks complete with. */
export const PLAN_RESULTS = {
  coder: 'wrote and exported src/greet.ts',
  debug: 'npm test passes',
} as const;

/**
 * A model script for the plan of SPEC §11.3: the orchestrator plans three subtasks — coder,
 * coder (after the first), debug (after the second) — and sums up when they are done. Every
 * subtask makes three client calls over two steps (two reads in parallel, then a gated write or
 * command) and then `attempt_completion`: 9 dispatched calls, 6 approvals. `debugDelayMs` makes
 * the debug agent's second step (the command) slow.
 */
export function planScript(options: { debugDelayMs?: number } = {}): Script {
  const slow: Partial<ScriptStep> = options.debugDelayMs ? { delayMs: options.debugDelayMs } : {};
  const subtask = (title: string, agent: string, dependsOn: number[]) => ({
    title,
    description: `${title}, then report.`,
    agent,
    dependsOn,
  });
  return {
    agents: {
      orchestrator: [
        {
          text: 'Here is a plan.',
          toolCalls: [
            call('create_plan', {
              goal: 'Add a greeting module',
              subtasks: [
                subtask('Write src/greet.ts', 'coder', []),
                subtask('Export greet from src/index.ts', 'coder', [0]),
                subtask('Run the tests', 'debug', [1]),
              ],
            }),
          ],
        },
        { text: 'Done: the greeting module is written, exported and tested.' },
      ],
      coder: [
        {
          text: 'Looking around.',
          toolCalls: [
            call('read_file', { path: 'src/index.ts' }),
            call('list_files', { path: 'src' }),
          ],
        },
        {
          text: 'Writing.',
          toolCalls: [
            call('write_file', {
              path: 'src/greet.ts',
              content: 'export const greet = () => "hi";\n',
            }),
          ],
        },
        { text: '', toolCalls: [call('attempt_completion', { result: PLAN_RESULTS.coder })] },
      ],
      debug: [
        {
          text: 'Reading.',
          toolCalls: [
            call('read_file', { path: 'src/greet.ts' }),
            call('search_files', { query: 'greet' }),
          ],
        },
        {
          ...slow,
          text: 'Running the tests.',
          toolCalls: [call('execute_command', { command: 'npm test' })],
        },
        { text: '', toolCalls: [call('attempt_completion', { result: PLAN_RESULTS.debug })] },
      ],
    },
  };
}
