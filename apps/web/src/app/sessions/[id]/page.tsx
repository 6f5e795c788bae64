import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import { serverQueries } from '../../../server/prefetch';
import { decisionLogInput } from '../../../trpc/pages';
import { SessionView } from './session-view';

export const dynamic = 'force-dynamic';

/** One session: conversation, plan, run state, approvals and decisions — live. */
export default async function SessionPage(props: { readonly params: Promise<{ id: string }> }) {
  const { id } = await props.params;
  const { trpc, queryClient } = await serverQueries();
  await Promise.all([
    queryClient.prefetchQuery(trpc.sessions.get.queryOptions({ sessionId: id })),
    queryClient.prefetchQuery(trpc.decisions.list.queryOptions(decisionLogInput(id))),
  ]);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <SessionView sessionId={id} />
    </HydrationBoundary>
  );
}
