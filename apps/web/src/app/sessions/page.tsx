import { RunStatus } from '@baton/domain';
import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import Form from 'next/form';
import { serverQueries } from '../../server/prefetch';
import { sessionPages, sessionsPageSize } from '../../trpc/pages';
import { sessionsFilterFrom } from './filter';
import { SessionsTable } from './sessions-table';

type SearchParams = Record<string, string | string[] | undefined>;

export const dynamic = 'force-dynamic';

/** Sessions, most recently active first, with a run-state filter, title search and "Load more". */
export default async function SessionsPage(props: {
  readonly searchParams: Promise<SearchParams>;
}) {
  const filter = sessionsFilterFrom(await props.searchParams);
  const { trpc, client, queryClient } = await serverQueries();
  await queryClient.prefetchInfiniteQuery(
    sessionPages(trpc, client, { ...filter, limit: sessionsPageSize }),
  );
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <h1>Sessions</h1>
      <Form action="/sessions" className="row" aria-label="Filter sessions">
        <label htmlFor="status">State</label>
        <select id="status" name="status" defaultValue={filter.status ?? ''}>
          <option value="">any</option>
          {Object.values(RunStatus).map((s) => (
            <option key={s} value={s}>
              {s.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
        <label htmlFor="q">Title contains</label>
        <input id="q" name="q" type="search" defaultValue={filter.search ?? ''} />
        <button type="submit">Filter</button>
      </Form>
      <SessionsTable filter={filter} />
    </HydrationBoundary>
  );
}
