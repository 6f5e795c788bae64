import type { SessionEvent } from '@baton/domain';
import type { Column } from '../../_components/data-table';
import { DataTable } from '../../_components/data-table';
import { summarizeEvent } from '../../_components/event-summary';
import { formatTime } from '../../_components/format';

const columns: readonly Column<SessionEvent>[] = [
  { header: 'Seq', cell: (e) => e.seq, className: 'num' },
  { header: 'At', cell: (e) => <time dateTime={e.at}>{formatTime(e.at)}</time> },
  { header: 'Type', cell: (e) => e.type, className: 'mono' },
  { header: 'What', cell: summarizeEvent },
];

/** The session's latest events as they arrive, newest first (streamed text left out). */
export function EventList({ events }: { readonly events: readonly SessionEvent[] }) {
  return (
    <section className="panel" aria-labelledby="events-h">
      <h2 id="events-h">Events</h2>
      <DataTable
        label="Latest events"
        columns={columns}
        rows={[...events].reverse()}
        rowKey={(e) => e.id}
        rowData={(e) => ({ 'data-seq': e.seq })}
        empty="Waiting for the event stream…"
      />
    </section>
  );
}
