import type { Metadata } from 'next';
import { safeNext } from '../../server/safe-next';
import { LoginForm } from './login-form';

type SearchParams = Record<string, string | string[] | undefined>;

export const metadata: Metadata = { title: 'Log in · Baton' };

const first = (value: string | string[] | undefined): string =>
  (Array.isArray(value) ? value[0] : value) ?? '';

/** Login with an operator token; `?token=` (the link the runtime prints) fills it in. */
export default async function LoginPage(props: { readonly searchParams: Promise<SearchParams> }) {
  const query = await props.searchParams;
  return (
    <section className="login">
      <h1>Log in to Baton</h1>
      <p className="muted">
        Paste an operator token. The runtime prints a login link with one on its first start.
      </p>
      <LoginForm token={first(query.token)} next={safeNext(first(query.next))} />
    </section>
  );
}
