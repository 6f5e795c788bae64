/**
 * The columns of `next` whose values differ from those of `was` (the same record as loaded):
 * what an update needs to write. The domain copies records shallowly, so an untouched value
 * keeps its identity; times compare by their instant. Writing only these keeps each update
 * small — fewer columns for drizzle to build, for the driver to send and for PostgreSQL to
 * bind — and cannot lose a change: a value that compares unequal is written.
 */
export function changedColumns<Row extends object>(next: Row, was: Row): Partial<Row> {
  const changed: Partial<Row> = {};
  for (const key of Object.keys(next) as (keyof Row)[]) {
    const value = next[key];
    const before = was[key];
    if (value === before) continue;
    if (value instanceof Date && before instanceof Date && value.getTime() === before.getTime()) {
      continue;
    }
    changed[key] = value;
  }
  return changed;
}

/** {@link changedColumns}, or `unchanged` when none changed (an UPDATE must set something). */
export function changedOr<Row extends object>(
  next: Row,
  was: Row,
  unchanged: Partial<Row>,
): Partial<Row> {
  const changed = changedColumns(next, was);
  return Object.keys(changed).length > 0 ? changed : unchanged;
}
