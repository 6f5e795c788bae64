import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { POST } from './route';

describe('logging out', () => {
  const response = POST(
    new NextRequest('http://127.0.0.1:3000/logout', {
      method: 'POST',
      headers: { cookie: 'baton_operator_token=tok' },
    }),
  );

  it('goes to the login page of this dashboard, by path, whatever host Next thinks it has', () => {
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login');
  });

  it('forgets the token cookie', () => {
    expect(response.cookies.get('baton_operator_token')).toMatchObject({ value: '', maxAge: 0 });
  });
});
