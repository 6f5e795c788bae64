import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import { serverQueries } from '../server/prefetch';
import { Overview } from './_components/overview';

export const dynamic = 'force-dynamic';

/** Overview: sessions by run state, decisions by kind, tool round-trip latency. */
export default async function OverviewPage() {
  const { trpc, queryClient } = await serverQueries();
  await queryClient.prefetchQuery(trpc.stats.overview.queryOptions());
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <h1>Overview</h1>
      <Overview />
    </HydrationBoundary>
  );
}
