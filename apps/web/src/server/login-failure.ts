/** Why a token was not accepted for the dashboard, in words for the login page. */
export function describeLoginFailure(code: string | undefined, message: string): string {
  switch (code) {
    case 'FORBIDDEN':
      return 'This token is valid but the dashboard needs an operator token (this one has a lower role). Create one with `npx baton token create --name <name> --role operator`.';
    case 'UNAUTHORIZED':
      return `The runtime did not accept this token: ${message}`;
    case 'TOO_MANY_REQUESTS':
      return 'Too many requests for this token; wait a moment and try again.';
    case undefined:
      return `Could not reach the runtime: ${message}`;
    default:
      return `The runtime answered ${code}: ${message}`;
  }
}
