import { describe, expect, it } from 'vitest';
import { sessionsFilterFrom } from './filter';

describe('the sessions filter from the query string', () => {
  it('takes a known run status and a search text', () => {
    expect(sessionsFilterFrom({ status: 'awaiting_tools', q: ' fix ' })).toEqual({
      status: 'awaiting_tools',
      search: 'fix',
    });
  });

  it('ignores an unknown status and an empty search', () => {
    expect(sessionsFilterFrom({ status: 'sleeping', q: '' })).toEqual({});
  });
});
