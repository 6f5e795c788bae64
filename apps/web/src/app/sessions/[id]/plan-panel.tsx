'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../../trpc/react';
import type { PlanRecord } from '../../../trpc/types';
import { ErrorText } from '../../_components/error-text';
import { StatusBadge } from '../../_components/status-badge';
import { PlanGraph } from './plan-graph';

/** Approve / Reject / Revise a plan that awaits its decision, with optional feedback. */
function PlanDecision({
  plan,
  onChanged,
}: {
  readonly plan: PlanRecord;
  readonly onChanged: () => void;
}) {
  const trpc = useTRPC();
  const [feedback, setFeedback] = useState('');
  const decide = useMutation(trpc.plans.decide.mutationOptions({ onSuccess: onChanged }));
  const send = (decision: 'approve' | 'reject' | 'revise') =>
    decide.mutate({
      planId: plan.id,
      decision,
      ...(feedback.trim() ? { feedback: feedback.trim() } : {}),
    });
  return (
    <div className="stack">
      <label htmlFor="plan-feedback">Feedback on the plan (needed to revise)</label>
      <textarea id="plan-feedback" value={feedback} onChange={(e) => setFeedback(e.target.value)} />
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={decide.isPending}
          onClick={() => send('approve')}
        >
          Approve plan
        </button>
        <button
          type="button"
          className="danger"
          disabled={decide.isPending}
          onClick={() => send('reject')}
        >
          Reject plan
        </button>
        <button
          type="button"
          disabled={decide.isPending || !feedback.trim()}
          onClick={() => send('revise')}
        >
          Revise plan
        </button>
        {decide.isPending ? <span className="muted">Sending…</span> : null}
      </div>
      <ErrorText error={decide.error} />
    </div>
  );
}

/** Cancel a plan in progress, after a confirmation. */
function CancelPlan({
  plan,
  onChanged,
}: {
  readonly plan: PlanRecord;
  readonly onChanged: () => void;
}) {
  const trpc = useTRPC();
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation(
    trpc.plans.cancel.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        onChanged();
      },
    }),
  );
  return (
    <div className="stack">
      {confirming ? (
        <div role="group" aria-label="Confirm cancelling the plan" className="row">
          <span>Cancel the plan, its running subtask and every outstanding tool call?</span>
          <button
            type="button"
            className="danger"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate({ planId: plan.id, reason: 'cancelled by an operator' })}
          >
            Yes, cancel the plan
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      ) : (
        <p>
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Cancel plan…
          </button>
        </p>
      )}
      <ErrorText error={cancel.error} />
    </div>
  );
}

/** Puts a failed subtask back to pending and resumes its plan. */
function RetrySubtask({
  planId,
  subtaskId,
  title,
  onChanged,
}: {
  readonly planId: string;
  readonly subtaskId: string;
  readonly title: string;
  readonly onChanged: () => void;
}) {
  const trpc = useTRPC();
  const retry = useMutation(trpc.plans.retrySubtask.mutationOptions({ onSuccess: onChanged }));
  return (
    <>
      <button
        type="button"
        disabled={retry.isPending}
        aria-label={`Retry subtask ${title}`}
        onClick={() => retry.mutate({ planId, subtaskId })}
      >
        Retry
      </button>
      <ErrorText error={retry.error} />
    </>
  );
}

/** The active plan (else the latest one) with its subtasks, and the operator's plan actions. */
export function PlanPanel({
  plans,
  activePlanId,
  onChanged,
}: {
  readonly plans: readonly PlanRecord[];
  readonly activePlanId: string | null;
  readonly onChanged: () => void;
}) {
  const plan = plans.find((p) => p.id === activePlanId) ?? plans.at(-1);
  const earlier = plans.filter((p) => p !== plan);
  return (
    <section className="panel" aria-labelledby="plan-h">
      <h2 id="plan-h">Plan</h2>
      {!plan ? (
        <p className="muted">No plan in this session.</p>
      ) : (
        <>
          <p className="row">
            <strong>{plan.goal}</strong>
            <span>
              Plan status: <StatusBadge status={plan.status} />
            </span>
          </p>
          <PlanGraph plan={plan} />
          <table aria-label="Subtasks">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Subtask</th>
                <th scope="col">Agent</th>
                <th scope="col">Status</th>
                <th scope="col">Result</th>
                <th scope="col">
                  <span className="muted">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {plan.subtasks.map((s) => (
                <tr key={s.id}>
                  <td>{s.index + 1}</td>
                  <td>
                    {s.title}
                    {s.dependsOn.length > 0 ? (
                      <span className="muted">
                        {' '}
                        (after {s.dependsOn.map((i) => `#${i + 1}`).join(', ')})
                      </span>
                    ) : null}
                  </td>
                  <td>{s.agent}</td>
                  <td>
                    <StatusBadge status={s.status} />
                  </td>
                  <td>{s.error ? <span className="error">{s.error}</span> : (s.result ?? '')}</td>
                  <td>
                    {s.status === 'failed' && plan.status === 'failed' ? (
                      <RetrySubtask
                        planId={plan.id}
                        subtaskId={s.id}
                        title={s.title}
                        onChanged={onChanged}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {plan.status === 'awaiting_approval' ? (
            <PlanDecision plan={plan} onChanged={onChanged} />
          ) : null}
          {plan.status === 'in_progress' ? <CancelPlan plan={plan} onChanged={onChanged} /> : null}
        </>
      )}
      {earlier.length > 0 ? (
        <details>
          <summary>Earlier plans ({earlier.length})</summary>
          <ul>
            {earlier.map((p) => (
              <li key={p.id}>
                {p.goal} <StatusBadge status={p.status} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
