import { describe, expect, it } from 'vitest';
import { describeLinkRefusal, describeLoginFailure, linkRefusalFor } from './login-failure';

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

describe('a refused login link', () => {
  it('is sent to the login page with a reason, not a message', () => {
    expect(linkRefusalFor('FORBIDDEN')).toBe('FORBIDDEN');
    expect(linkRefusalFor('UNAUTHORIZED')).toBe('UNAUTHORIZED');
    expect(linkRefusalFor(undefined)).toBe('UNREACHABLE');
    expect(linkRefusalFor('INTERNAL_SERVER_ERROR')).toBe('REFUSED');
  });

  it('is described by the login page from the reason', () => {
    expect(describeLinkRefusal('FORBIDDEN')).toMatch(/needs an operator token/);
    expect(describeLinkRefusal('UNAUTHORIZED')).toMatch(/unknown or was revoked/);
  });

  it('shows nothing for a reason the page does not know, so no URL puts words on it', () => {
    expect(describeLinkRefusal('Your account is locked, call 555-0100')).toBeNull();
    expect(describeLinkRefusal('toString')).toBeNull();
    expect(describeLinkRefusal(undefined)).toBeNull();
  });
});
