'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useState } from 'react';
import { decisionLogInput } from '../../../trpc/pages';
import { useTRPC } from '../../../trpc/react';
import { useCoalesced } from '../../_components/use-coalesced';
import { Connection } from '../../_components/connection';
import { ErrorText } from '../../_components/error-text';
import { StatusBadge } from '../../_components/status-badge';
import { ApprovalsPanel } from './approvals-panel';
import { Conversation } from './conversation';
import { DecisionLog } from './decision-log';
import { EventList } from './event-list';
import { emptyLiveState, foldEvent } from './live-state';
import { PlanPanel } from './plan-panel';
import { RunStateMachine } from './run-state-machine';

/**
 * A session, kept current by its event stream: every event refreshes the session's records
 * (messages, calls, approvals, plans) and decision log; the run-state path and streamed text
 * come from the events themselves.
 */
export function SessionView({ sessionId }: { readonly sessionId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const details = useQuery(trpc.sessions.get.queryOptions({ sessionId }));
  const decisions = useQuery(trpc.decisions.list.queryOptions(decisionLogInput(sessionId)));
  const [live, setLive] = useState(emptyLiveState);
  const [everLive, setEverLive] = useState(false);

  const refresh = useCoalesced(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.sessions.get.queryKey({ sessionId }) });
    void queryClient.invalidateQueries({
      queryKey: trpc.decisions.list.queryKey(decisionLogInput(sessionId)),
    });
  }, 100);

  const events = useSubscription(
    trpc.sessions.events.subscriptionOptions(
      { sessionId },
      {
        onStarted: () => setEverLive(true),
        onData: ({ data }) => {
          setLive((state) => foldEvent(state, data));
          if (data.type !== 'message.delta') refresh();
        },
      },
    ),
  );

  if (details.error) return <ErrorText error={details.error} />;
  if (!details.data) return <p className="muted">Loading…</p>;
  const { session, messages, calls, approvals, plans } = details.data;
  return (
    <>
      <div className="row spread">
        <h1>{session.title}</h1>
        <Connection status={events.status} everLive={everLive} />
      </div>
      <p className="row muted">
        <span>
          Run: <StatusBadge status={session.run.status} />
        </span>
        <span>Agent: {session.agent}</span>
        <span className="mono">{session.id}</span>
      </p>
      {/* While (re)connecting the indicator says so; an error here is one that stopped the feed. */}
      {events.status === 'error' ? <ErrorText error={events.error} /> : null}
      <RunStateMachine current={session.run.status} path={live.path} />
      <ApprovalsPanel
        sessionId={sessionId}
        approvals={approvals}
        calls={calls}
        onChanged={refresh}
      />
      <PlanPanel plans={plans} activePlanId={session.activePlanId} onChanged={refresh} />
      <Conversation messages={messages} calls={calls} plans={plans} streaming={live.streaming} />
      <DecisionLog decisions={decisions.data?.items ?? []} error={decisions.error} />
      <EventList events={live.recent} />
    </>
  );
}
