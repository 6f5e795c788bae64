import type { PlanRecord, SessionDetails } from '../../../trpc/types';
import type { Column } from '../../_components/data-table';
import { DataTable } from '../../_components/data-table';
import { formatDuration } from '../../_components/format';
import { StatusBadge } from '../../_components/status-badge';

type Message = SessionDetails['messages'][number];
type Call = SessionDetails['calls'][number];

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** Who a call belongs to: the session's agent loop or a plan subtask (by title). */
function ownerOf(call: Call, plans: readonly PlanRecord[]): string {
  if (call.owner.kind === 'session') return 'session';
  const { subtaskId } = call.owner;
  const subtask = plans.flatMap((p) => p.subtasks).find((s) => s.id === subtaskId);
  return subtask ? `subtask: ${subtask.title}` : 'subtask';
}

/** The tool calls table: what was asked, by whom, what was sent and what came back. */
function callColumns(plans: readonly PlanRecord[]): readonly Column<Call>[] {
  return [
    {
      header: 'Tool',
      className: 'mono',
      cell: (call) => (
        <>
          {call.name}
          <div className="muted">{call.agent}</div>
        </>
      ),
    },
    { header: 'Owner', cell: (call) => ownerOf(call, plans) },
    { header: 'Status', cell: (call) => <StatusBadge status={call.status} /> },
    // What was dispatched: the edited arguments when an operator edited them.
    {
      header: 'Arguments',
      cell: (call) => <pre>{json(call.dispatchedArguments ?? call.arguments)}</pre>,
    },
    {
      header: 'Result',
      cell: (call) =>
        call.outcome?.type === 'result' ? (
          <pre>{json(call.outcome.value)}</pre>
        ) : call.outcome?.type === 'error' ? (
          <pre className="error">{call.outcome.message}</pre>
        ) : null,
    },
    {
      header: 'Duration',
      cell: (call) => formatDuration(call.dispatchedAt, call.resolvedAt) ?? '—',
    },
  ];
}

/** One message of the session's own history. */
function MessageItem({ message }: { readonly message: Message }) {
  const { body } = message;
  if (body.role === 'tool') return null;
  return (
    <li data-role={body.role}>
      <span className="muted">
        {body.role === 'user' ? 'user' : (message.agent ?? 'assistant')}
      </span>
      {body.text ? <p className="text">{body.text}</p> : null}
      {body.role === 'assistant' && body.toolCalls.length > 0 ? (
        <p className="muted">asked for: {body.toolCalls.map((c) => c.name).join(', ')}</p>
      ) : null}
    </li>
  );
}

/** The conversation (session messages and text still streaming) and every tool call. */
export function Conversation({
  messages,
  calls,
  plans,
  streaming,
}: {
  readonly messages: readonly Message[];
  readonly calls: readonly Call[];
  readonly plans: readonly PlanRecord[];
  readonly streaming: Readonly<Record<string, string>>;
}) {
  const history = messages.filter((m) => m.subtaskId === null);
  const inFlight = Object.entries(streaming);
  return (
    <>
      <section className="panel" aria-labelledby="conversation-h">
        <h2 id="conversation-h">Conversation</h2>
        <ol className="messages">
          {history.map((m) => (
            <MessageItem key={m.id} message={m} />
          ))}
          {inFlight.map(([stepId, text]) => (
            <li key={stepId} data-role="assistant" aria-live="polite">
              <span className="muted">streaming…</span>
              <p className="text">{text}</p>
            </li>
          ))}
        </ol>
      </section>
      <section className="panel" aria-labelledby="calls-h">
        <h2 id="calls-h">Tool calls</h2>
        <DataTable
          columns={callColumns(plans)}
          rows={calls}
          rowKey={(call) => call.id}
          empty="No tool calls yet."
        />
      </section>
    </>
  );
}
