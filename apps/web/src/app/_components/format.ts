/** A time as `YYYY-MM-DD HH:MM:SS` UTC: the same on the server and in every browser. */
export function formatTime(iso: string): string {
  return `${iso.replace('T', ' ').slice(0, 19)} UTC`;
}

/** The time between two ISO instants, e.g. `340 ms` or `2.5 s`; null when either is missing. */
export function formatDuration(from: string | null, to: string | null): string | null {
  if (!from || !to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return null;
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
