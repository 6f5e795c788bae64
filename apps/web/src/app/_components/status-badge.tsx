const TONES: Record<string, 'ok' | 'warn' | 'bad' | undefined> = {
  completed: 'ok',
  approved: 'ok',
  resolved: 'ok',
  idle: 'ok',
  running: 'warn',
  in_progress: 'warn',
  awaiting_approval: 'warn',
  awaiting_plan_decision: 'warn',
  awaiting_tools: 'warn',
  model_step: 'warn',
  dispatched: 'warn',
  pending: undefined,
  failed: 'bad',
  rejected: 'bad',
  cancelled: 'bad',
  expired: 'bad',
};

/** The colour a status is shown in: ok, warn, bad, or none (neutral). */
export function toneOf(status: string): 'ok' | 'warn' | 'bad' | undefined {
  return TONES[status];
}

/** A status as a small coloured label; the text is the status itself, readable without colour. */
export function StatusBadge({ status }: { readonly status: string }) {
  return (
    <span className="badge" data-tone={TONES[status]}>
      {status.replaceAll('_', ' ')}
    </span>
  );
}
