import type { SessionEvent } from '@baton/domain';
import { formatTime } from '../../_components/format';
import { summarizeEvent } from '../../_components/event-summary';

/** The session's latest events as they arrive, newest first (streamed text left out). */
export function EventList({ events }: { readonly events: readonly SessionEvent[] }) {
  return (
    <section className="panel" aria-labelledby="events-h">
      <h2 id="events-h">Events</h2>
      {events.length === 0 ? (
        <p className="muted">Waiting for the event stream…</p>
      ) : (
        <table aria-label="Latest events">
          <thead>
            <tr>
              <th scope="col">Seq</th>
              <th scope="col">At</th>
              <th scope="col">Type</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {[...events].reverse().map((e) => (
              <tr key={e.id} data-seq={e.seq}>
                <td className="num">{e.seq}</td>
                <td>
                  <time dateTime={e.at}>{formatTime(e.at)}</time>
                </td>
                <td className="mono">{e.type}</td>
                <td>{summarizeEvent(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
