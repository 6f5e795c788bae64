import type { PlanRecord, SessionDetails } from '../../../trpc/types';
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

/** One message of the session's own history. */
function MessageItem({ message }: { readonly message: Message }) {
  const { body } = message;
  if (body.role === 'tool') return null;
  return (
    <li data-role={body.role}>
      <span className="muted">
        {body.role === 'user' ? 'user' : (message.agent ?? 'assistant')}
      </span>
      {body.text ? <p style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{body.text}</p> : null}
      {body.role === 'assistant' && body.toolCalls.length > 0 ? (
        <p className="muted" style={{ margin: 0 }}>
          asked for: {body.toolCalls.map((c) => c.name).join(', ')}
        </p>
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
              <p style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{text}</p>
            </li>
          ))}
        </ol>
      </section>
      <section className="panel" aria-labelledby="calls-h">
        <h2 id="calls-h">Tool calls</h2>
        {calls.length === 0 ? (
          <p className="muted">No tool calls yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Tool</th>
                <th scope="col">Owner</th>
                <th scope="col">Status</th>
                <th scope="col">Arguments</th>
                <th scope="col">Result</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {calls.map((call) => (
                <tr key={call.id}>
                  <td className="mono">
                    {call.name}
                    <div className="muted">{call.agent}</div>
                  </td>
                  <td>{ownerOf(call, plans)}</td>
                  <td>
                    <StatusBadge status={call.status} />
                  </td>
                  <td>
                    <pre>{json(call.dispatchedArguments ?? call.arguments)}</pre>
                  </td>
                  <td>
                    {call.outcome?.type === 'result' ? <pre>{json(call.outcome.value)}</pre> : null}
                    {call.outcome?.type === 'error' ? (
                      <pre className="error">{call.outcome.message}</pre>
                    ) : null}
                  </td>
                  <td>{formatDuration(call.dispatchedAt, call.resolvedAt) ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
