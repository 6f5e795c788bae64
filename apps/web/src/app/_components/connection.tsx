import type { TRPCSubscriptionStatus } from '@trpc/tanstack-react-query';

const LABELS = {
  idle: ['reconnecting', 'Not connected'],
  connecting: ['reconnecting', 'Connecting…'],
  pending: ['live', 'Live'],
  error: ['error', 'Disconnected'],
} as const satisfies Record<TRPCSubscriptionStatus, readonly [string, string]>;

/** Whether a live feed is connected: live, (re)connecting, or failed. */
export function Connection({
  status,
  everLive,
}: {
  readonly status: TRPCSubscriptionStatus;
  readonly everLive: boolean;
}) {
  const [state, text] = LABELS[status];
  const label = status === 'connecting' && everLive ? 'Reconnecting…' : text;
  return (
    <span className="live" data-state={state} role="status" aria-label={`Live updates: ${label}`}>
      {label}
    </span>
  );
}
