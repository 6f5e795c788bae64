import { randomUUID } from 'node:crypto';
import type { AgentName, JsonValue, SessionEvent, ToolOutcome } from '@baton/domain';
import type { BatonClient } from './client';
import { executeTool } from './tools';
import type { Workspace } from './tools';

/** Something a human must decide before the run goes on. */
export type ApprovalRequest =
  | {
      readonly kind: 'tool';
      readonly approvalId: string;
      readonly callId: string;
      readonly name: string;
      readonly arguments: JsonValue;
      readonly agent?: AgentName;
    }
  | { readonly kind: 'plan'; readonly approvalId: string; readonly planId: string };

/** A human's answer. `edit` applies to tool calls, `revise` to plans. */
export type ApprovalAnswer =
  | { readonly decision: 'approve' }
  | { readonly decision: 'reject'; readonly feedback?: string }
  | { readonly decision: 'edit'; readonly arguments: JsonValue }
  | { readonly decision: 'revise'; readonly feedback: string };

/** What {@link runTask} needs. */
export interface RunTaskOptions {
  readonly client: BatonClient;
  readonly workspace: Workspace;
  readonly task: string;
  /** Continue this session; absent: a new one titled after the task. */
  readonly sessionId?: string;
  readonly agent?: AgentName;
  /** Asked for every approval; absent: everything is approved. */
  readonly approve?: (request: ApprovalRequest) => Promise<ApprovalAnswer>;
  /** Every event of the session as it arrives (for progress output). */
  readonly onEvent?: (event: SessionEvent) => void;
  readonly signal?: AbortSignal;
}

/** How a task ended. */
export interface TaskOutcome {
  readonly sessionId: string;
  /** The last text the session's own agent said. */
  readonly answer: string;
  /** The errors the run reported, if any. */
  readonly errors: readonly string[];
}

/**
 * Runs one task against a workspace folder, as an IDE would: sends the message, follows the
 * session's events, runs every dispatched tool call locally and submits its result, asks for
 * approvals, and returns when the run is over. Safe to restart: calls dispatched before it
 * started are picked up from the session's state, and a repeated result is a duplicate the
 * runtime ignores.
 */
export async function runTask(options: RunTaskOptions): Promise<TaskOutcome> {
  const { client, workspace } = options;
  const sessionId =
    options.sessionId ??
    (await client.sessions.create.mutate({ title: options.task.slice(0, 200) })).id;
  const snapshot = await client.sessions.get.query({ sessionId });
  const handled = new Set<string>();
  const work = new Set<Promise<void>>();
  let answer = '';
  const errors: string[] = [];

  const submit = async (callId: string, outcome: ToolOutcome): Promise<void> => {
    await client.toolResults.submit.mutate(
      outcome.type === 'result'
        ? { sessionId, callId, result: outcome.value }
        : { sessionId, callId, error: outcome.message },
    );
  };
  const runCall = (callId: string, name: string, args: JsonValue): void => {
    if (handled.has(callId)) return;
    handled.add(callId);
    const task = executeTool(
      workspace,
      name,
      args,
      options.signal ? { signal: options.signal } : {},
    )
      .then((outcome) => submit(callId, outcome))
      .finally(() => work.delete(task));
    work.add(task);
  };
  const decide = (request: ApprovalRequest): void => {
    if (handled.has(request.approvalId)) return;
    handled.add(request.approvalId);
    const ask = options.approve ?? (() => Promise.resolve({ decision: 'approve' } as const));
    const task = ask(request)
      .then(async (answer) => {
        if (request.kind === 'plan') {
          const decision = answer.decision === 'edit' ? 'approve' : answer.decision;
          await client.plans.decide.mutate({
            planId: request.planId,
            decision,
            ...('feedback' in answer && answer.feedback ? { feedback: answer.feedback } : {}),
          });
        } else {
          await client.approvals.decide.mutate({
            sessionId,
            approvalId: request.approvalId,
            decision: answer.decision === 'revise' ? 'reject' : answer.decision,
            ...(answer.decision === 'edit' ? { arguments: answer.arguments } : {}),
            ...('feedback' in answer && answer.feedback ? { feedback: answer.feedback } : {}),
          });
        }
      })
      .finally(() => work.delete(task));
    work.add(task);
  };

  // Work outstanding before this client started (a restart mid-run).
  for (const call of snapshot.calls) {
    if (call.status === 'dispatched')
      runCall(call.id, call.name, call.dispatchedArguments ?? call.arguments);
  }
  for (const approval of snapshot.approvals) {
    if (approval.status !== 'pending') continue;
    const call = snapshot.calls.find((c) => c.id === approval.callId);
    if (approval.kind === 'plan' && approval.planId)
      decide({ kind: 'plan', approvalId: approval.id, planId: approval.planId });
    else if (call)
      decide({
        kind: 'tool',
        approvalId: approval.id,
        callId: call.id,
        name: call.name,
        arguments: call.arguments,
        agent: call.agent,
      });
  }

  // The run is ours once our message is in the stream; it is over when the run is idle again.
  let started = false;
  await new Promise<void>((resolve, reject) => {
    const subscription = client.sessions.events.subscribe(
      { sessionId },
      {
        onData: ({ data: event }) => {
          options.onEvent?.(event);
          if (event.seq <= snapshot.session.lastSeq) return;
          switch (event.type) {
            case 'tool_call.dispatched':
              runCall(event.data.callId, event.data.name, event.data.arguments);
              break;
            case 'approval.requested':
              if (event.data.kind === 'plan' && event.data.planId) {
                decide({
                  kind: 'plan',
                  approvalId: event.data.approvalId,
                  planId: event.data.planId,
                });
              } else if (event.data.callId && event.data.name) {
                decide({
                  kind: 'tool',
                  approvalId: event.data.approvalId,
                  callId: event.data.callId,
                  name: event.data.name,
                  arguments: event.data.arguments ?? null,
                  ...(event.data.agent ? { agent: event.data.agent } : {}),
                });
              }
              break;
            case 'message.assistant':
              if (!event.data.subtaskId && event.data.text) answer = event.data.text;
              break;
            case 'error':
              errors.push(event.data.message);
              break;
            case 'message.user':
              started = true;
              break;
            case 'run.state':
              if (started && event.data.to === 'idle') {
                subscription.unsubscribe();
                Promise.allSettled([...work]).then(() => resolve(), reject);
              }
              break;
          }
        },
        onError: (error) => {
          subscription.unsubscribe();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      },
    );
    options.signal?.addEventListener('abort', () => {
      subscription.unsubscribe();
      reject(new Error('aborted'));
    });
    client.messages.send
      .mutate({
        sessionId,
        content: options.task,
        idempotencyKey: randomUUID(),
        ...(options.agent ? { agent: options.agent } : {}),
      })
      .catch((error: unknown) => {
        subscription.unsubscribe();
        reject(error instanceof Error ? error : new Error(String(error)));
      });
  });
  return { sessionId, answer, errors };
}
