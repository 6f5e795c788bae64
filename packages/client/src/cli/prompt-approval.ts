import type { Interface } from 'node:readline/promises';
import type { ApprovalAnswer, ApprovalRequest } from '../run-task';

/**
 * Asks the person at the terminal about an approval: y(es), n(o) with optional feedback, e(dit)
 * arguments as JSON for tool calls, r(evise) with feedback for plans.
 */
export async function askApproval(
  rl: Interface,
  request: ApprovalRequest,
): Promise<ApprovalAnswer> {
  const what =
    request.kind === 'plan'
      ? 'Approve the plan above? [y]es / [n]o / [r]evise: '
      : `Allow ${request.name} ${JSON.stringify(request.arguments)}? [y]es / [n]o / [e]dit: `;
  for (;;) {
    const answer = (await rl.question(what)).trim().toLowerCase();
    if (answer === 'y' || answer === 'yes' || answer === '') return { decision: 'approve' };
    if (answer === 'n' || answer === 'no') {
      const feedback = (await rl.question('Why (optional, told to the agent): ')).trim();
      return feedback ? { decision: 'reject', feedback } : { decision: 'reject' };
    }
    if (answer === 'r' && request.kind === 'plan') {
      return {
        decision: 'revise',
        feedback: (await rl.question('What should change: ')).trim() || 'Please revise.',
      };
    }
    if (answer === 'e' && request.kind === 'tool') {
      const text = await rl.question('New arguments (JSON): ');
      try {
        return { decision: 'edit', arguments: JSON.parse(text) as never };
      } catch {
        process.stdout.write('That is not JSON; try again.\n');
      }
    }
  }
}
