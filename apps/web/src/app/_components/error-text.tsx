import { TRPCClientError } from '@trpc/client';

/** An API error in words: the runtime's message, with its code. */
export function errorText(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const code = (error.data as { code?: string } | undefined)?.code;
    return code ? `${code}: ${error.message}` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Shows an API error, or nothing. UNAUTHORIZED links to the login page. */
export function ErrorText({ error }: { readonly error: unknown }) {
  if (!error) return null;
  const text = errorText(error);
  return (
    <p role="alert" className="error">
      {text}
      {text.startsWith('UNAUTHORIZED') ? (
        <>
          {' '}
          <a href="/login">Log in again</a>
        </>
      ) : null}
    </p>
  );
}
