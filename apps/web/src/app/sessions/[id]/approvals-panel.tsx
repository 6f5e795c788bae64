'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../../trpc/react';
import type { SessionDetails } from '../../../trpc/types';
import { ErrorText } from '../../_components/error-text';

type Approval = SessionDetails['approvals'][number];
type Call = SessionDetails['calls'][number];

/** One gated tool call: what it would do, and Approve / Reject (with feedback). */
function ToolApproval({
  sessionId,
  approval,
  call,
  onChanged,
}: {
  readonly sessionId: string;
  readonly approval: Approval;
  readonly call: Call | undefined;
  readonly onChanged: () => void;
}) {
  const trpc = useTRPC();
  const [feedback, setFeedback] = useState('');
  const decide = useMutation(trpc.approvals.decide.mutationOptions({ onSuccess: onChanged }));
  const name = call?.name ?? 'tool call';
  const answer = (decision: 'approve' | 'reject') =>
    decide.mutate({
      sessionId,
      approvalId: approval.id,
      decision,
      ...(decision === 'reject' && feedback.trim() ? { feedback: feedback.trim() } : {}),
    });
  const feedbackId = `feedback-${approval.id}`;
  return (
    <li className="panel" aria-label={`Approval for ${name}`}>
      <p className="row">
        <strong className="mono">{name}</strong>
        {call ? <span className="muted">by {call.agent}</span> : null}
        {approval.expiresAt ? <span className="muted">expires {approval.expiresAt}</span> : null}
      </p>
      <pre aria-label={`Arguments of ${name}`}>
        {JSON.stringify(call?.arguments ?? null, null, 2)}
      </pre>
      <label htmlFor={feedbackId}>Feedback if rejected (optional)</label>
      <textarea id={feedbackId} value={feedback} onChange={(e) => setFeedback(e.target.value)} />
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={decide.isPending}
          onClick={() => answer('approve')}
        >
          Approve {name}
        </button>
        <button
          type="button"
          className="danger"
          disabled={decide.isPending}
          onClick={() => answer('reject')}
        >
          Reject {name}
        </button>
        {decide.isPending ? <span className="muted">Sending…</span> : null}
      </div>
      <ErrorText error={decide.error} />
    </li>
  );
}

/** The session's pending tool approvals (plan approvals are decided in the plan panel). */
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
  const pending = approvals.filter((a) => a.status === 'pending' && a.kind === 'tool');
  return (
    <section className="panel" aria-labelledby="approvals-h">
      <h2 id="approvals-h">Pending approvals</h2>
      {pending.length === 0 ? (
        <p className="muted">Nothing waits for approval.</p>
      ) : (
        <ul style={{ listStyle: 'none', padding: 0 }}>
          {pending.map((approval) => (
            <ToolApproval
              key={approval.id}
              sessionId={sessionId}
              approval={approval}
              call={calls.find((c) => c.id === approval.callId)}
              onChanged={onChanged}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
