import { RunStatus } from '@baton/domain';

/** The sessions list's filter, from the page's query string. */
export interface SessionsFilter {
  readonly status?: RunStatus;
  readonly search?: string;
}

const statuses: readonly string[] = Object.values(RunStatus);
const isRunStatus = (value: string): value is RunStatus => statuses.includes(value);

/** Reads `?status=&q=`; an unknown status or an empty search means no filter on it. */
export function sessionsFilterFrom(
  query: Record<string, string | string[] | undefined>,
): SessionsFilter {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
  const status = one(query.status);
  const search = one(query.q).slice(0, 200);
  return {
    ...(isRunStatus(status) ? { status } : {}),
    ...(search ? { search } : {}),
  };
}
