import { describe, expect, it } from 'vitest';
import { describeLoginFailure } from './login-failure';

describe('a refused login', () => {
  it('says that a client token needs to be an operator token', () => {
    expect(describeLoginFailure('FORBIDDEN', 'needs the operator role')).toMatch(
      /needs an operator token/,
    );
  });

  it('passes on why the runtime refused an unknown token', () => {
    expect(describeLoginFailure('UNAUTHORIZED', 'Unknown token.')).toBe(
      'The runtime did not accept this token: Unknown token.',
    );
  });

  it('says when the runtime could not be reached at all', () => {
    expect(describeLoginFailure(undefined, 'fetch failed')).toBe(
      'Could not reach the runtime: fetch failed',
    );
  });
});
