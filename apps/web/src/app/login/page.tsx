import type { Metadata } from 'next';
import { describeLinkRefusal } from '../../server/login-failure';
import { safeNext } from '../../server/safe-next';
import { LoginForm } from './login-form';

type SearchParams = Record<string, string | string[] | undefined>;

export const metadata: Metadata = { title: 'Log in · Baton' };

const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/**
 * Login with an operator token. The link the runtime prints (`?token=`) never renders this page:
 * the proxy hands it to `login/link`, which logs in or comes back here with a `?link=` reason.
 */
export default async function LoginPage(props: { readonly searchParams: Promise<SearchParams> }) {
  const query = await props.searchParams;
  const refused = describeLinkRefusal(first(query.link));
  return (
    <section className="login">
      <h1>Log in to Baton</h1>
      <p className="muted">
        Paste an operator token. The runtime prints a login link with one on its first start.
      </p>
      {refused ? (
        <p role="alert" className="error">
          {refused}
        </p>
      ) : null}
      <LoginForm next={safeNext(first(query.next))} />
    </section>
  );
}
