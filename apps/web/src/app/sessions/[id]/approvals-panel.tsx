'use client';

import type { JsonValue } from '@baton/domain';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../../trpc/react';
import type { SessionDetails } from '../../../trpc/types';
import { ErrorText } from '../../_components/error-text';
import { ArgumentEditor } from './argument-editor';

type Approval = SessionDetails['approvals'][number];
type Call = SessionDetails['calls'][number];

/** What an operator answers to a gated tool call. */
type Answer =
  | { readonly decision: 'approve' }
  | { readonly decision: 'reject'; readonly feedback?: string }
  | { readonly decision: 'edit'; readonly arguments: JsonValue };

/** One gated tool call: what it would do, and Approve / Edit / Reject (with feedback). */
function ToolApproval({
  approval,
  call,
  sending,
  onAnswer,
}: {
  readonly approval: Approval;
  readonly call: Call | undefined;
  readonly sending: boolean;
  readonly onAnswer: (answer: Answer) => void;
}) {
  const [feedback, setFeedback] = useState('');
  const [editing, setEditing] = useState(false);
  const name = call?.name ?? 'tool call';
  const feedbackId = `feedback-${approval.id}`;
  return (
    <li className="panel" aria-label={`Approval for ${name}`}>
      <p className="row">
        <strong className="mono">{name}</strong>
        {call ? <span className="muted">by {call.agent}</span> : null}
        {approval.expiresAt ? <span className="muted">expires {approval.expiresAt}</span> : null}
      </p>
      <pre aria-label={`${editing ? 'Original arguments' : 'Arguments'} of ${name}`}>
        {JSON.stringify(call?.arguments ?? null, null, 2)}
      </pre>
      {editing && call ? (
        <ArgumentEditor
          tool={call.name}
          agent={call.agent}
          original={call.arguments}
          sending={sending}
          onApprove={(args) => onAnswer({ decision: 'edit', arguments: args })}
          onDiscard={() => setEditing(false)}
        />
      ) : null}
      <label htmlFor={feedbackId}>Feedback if rejected (optional)</label>
      <textarea id={feedbackId} value={feedback} onChange={(e) => setFeedback(e.target.value)} />
      <div className="row">
        {editing ? null : (
          <>
            <button
              type="button"
              className="primary"
              disabled={sending}
              onClick={() => onAnswer({ decision: 'approve' })}
            >
              Approve {name}
            </button>
            {call ? (
              <button type="button" disabled={sending} onClick={() => setEditing(true)}>
                Edit arguments of {name}…
              </button>
            ) : null}
          </>
        )}
        <button
          type="button"
          className="danger"
          disabled={sending}
          onClick={() =>
            onAnswer({
              decision: 'reject',
              ...(feedback.trim() ? { feedback: feedback.trim() } : {}),
            })
          }
        >
          Reject {name}
        </button>
        {sending ? <span className="muted">Sending…</span> : null}
      </div>
    </li>
  );
}

/**
 * The session's pending tool approvals (plan approvals are decided in the plan panel). A refused
 * decision is reported here, above the list: the approval it was about may be gone by the time
 * the answer comes (someone else decided it first).
 */
export function ApprovalsPanel({
  sessionId,
  approvals,
  calls,
  onChanged,
}: {
  readonly sessionId: string;
  readonly approvals: readonly Approval[];
  readonly calls: readonly Call[];
  readonly onChanged: () => void;
}) {
  const trpc = useTRPC();
  const decide = useMutation(
    trpc.approvals.decide.mutationOptions({ onSuccess: onChanged, onError: onChanged }),
  );
  const pending = approvals.filter((a) => a.status === 'pending' && a.kind === 'tool');
  return (
    <section className="panel" aria-labelledby="approvals-h">
      <h2 id="approvals-h">Pending approvals</h2>
      {decide.error ? (
        <div>
          <p className="error">Your last decision was not applied.</p>
          <ErrorText error={decide.error} />
        </div>
      ) : null}
      {pending.length === 0 ? (
        <p className="muted">Nothing waits for approval.</p>
      ) : (
        <ul className="plain">
          {pending.map((approval) => (
            <ToolApproval
              key={approval.id}
              approval={approval}
              call={calls.find((c) => c.id === approval.callId)}
              sending={decide.isPending && decide.variables.approvalId === approval.id}
              onAnswer={(answer) =>
                decide.mutate({ sessionId, approvalId: approval.id, ...answer })
              }
            />
          ))}
        </ul>
      )}
    </section>
  );
}
