'use client';

import { useActionState } from 'react';
import type { LoginState } from './actions';
import { logIn } from './actions';

/** The token form; the token goes to the server action, never into page storage. */
export function LoginForm({ next }: { readonly next: string }) {
  const [state, action, pending] = useActionState<LoginState, FormData>(logIn, { error: null });
  return (
    <form action={action} className="stack">
      <label htmlFor="token">Operator token</label>
      <input id="token" name="token" type="password" autoComplete="off" required />
      <input type="hidden" name="next" value={next} />
      <button type="submit" disabled={pending}>
        {pending ? 'Checking…' : 'Log in'}
      </button>
      {state.error ? (
        <p role="alert" className="error">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
