import { describe, expect, it } from 'vitest';
import { changedColumns, changedOr } from './changed-columns';

describe('changedColumns', () => {
  const outcome = { type: 'result', value: 'x' };
  const was = {
    status: 'dispatched',
    outcome: null as typeof outcome | null,
    arguments: { path: 'a' },
    resolvedAt: null as Date | null,
    createdAt: new Date('2026-11-26T00:00:00Z'),
  };

  it('keeps only the values that differ: new objects, other scalars, other instants', () => {
    const next = {
      ...was,
      status: 'resolved',
      outcome,
      resolvedAt: new Date('2026-11-26T00:00:01Z'),
      createdAt: new Date('2026-11-26T00:00:00Z'), // a copy of the same instant
    };
    expect(changedColumns(next, was)).toEqual({
      status: 'resolved',
      outcome,
      resolvedAt: new Date('2026-11-26T00:00:01Z'),
    });
  });

  it('writes an equal object that is not the same object (it cannot tell, so it writes)', () => {
    expect(changedColumns({ ...was, arguments: { path: 'a' } }, was)).toEqual({
      arguments: { path: 'a' },
    });
  });

  it('falls back to what it is given when nothing changed, so an update still sets a column', () => {
    expect(changedOr({ ...was }, was, { status: 'dispatched' })).toEqual({ status: 'dispatched' });
    expect(changedOr({ ...was, status: 'resolved' }, was, { status: 'x' })).toEqual({
      status: 'resolved',
    });
  });
});
