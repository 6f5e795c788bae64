import { DecisionKind } from '@baton/domain';
import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import Form from 'next/form';
import { serverQueries } from '../../server/prefetch';
import { decisionPages, decisionsPageSize } from '../../trpc/pages';
import { DecisionFeed } from './decision-feed';

type SearchParams = Record<string, string | string[] | undefined>;

export const dynamic = 'force-dynamic';

const kinds: readonly string[] = Object.values(DecisionKind);
const isKind = (value: unknown): value is DecisionKind =>
  typeof value === 'string' && kinds.includes(value);

/** Every session's decisions, newest first, filterable by kind, updated live. */
export default async function DecisionsPage(props: {
  readonly searchParams: Promise<SearchParams>;
}) {
  const { kind: requested } = await props.searchParams;
  const kind = isKind(requested) ? requested : undefined;
  const { trpc, client, queryClient } = await serverQueries();
  await queryClient.prefetchInfiniteQuery(
    decisionPages(trpc, client, { ...(kind ? { kind } : {}), limit: decisionsPageSize }),
  );
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <h1>Decisions</h1>
      <Form action="/decisions" className="row" aria-label="Filter decisions">
        <label htmlFor="kind">Kind</label>
        <select id="kind" name="kind" defaultValue={kind ?? ''}>
          <option value="">any</option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <button type="submit">Filter</button>
      </Form>
      <DecisionFeed kind={kind} />
    </HydrationBoundary>
  );
}
