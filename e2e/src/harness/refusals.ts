import type { BatonOutputs } from '@baton/client';

type SessionDetails = BatonOutputs['sessions']['get'];

/** A subscription as the typed client returns it. */
interface Unsubscribable {
  unsubscribe(): void;
}

/** What a refused call answered: its tRPC code, its message and the input fields zod named. */
export interface Refusal {
  readonly code: string;
  readonly message: string;
  readonly fields: readonly string[];
}

/** How a tRPC error refused a call; anything else is not a refusal and throws. */
export function refusalOf(error: unknown): Refusal {
  const data = (error as { data?: { code?: string; issues?: { path: string }[] } }).data;
  if (!(error instanceof Error) || typeof data?.code !== 'string') {
    throw new Error(`expected a tRPC error, got ${String(error)}`, { cause: error });
  }
  return {
    code: data.code,
    message: error.message,
    fields: (data.issues ?? []).map((i) => i.path),
  };
}

/** Awaits a call that must be refused, and says how it was refused. */
export async function refusal(call: Promise<unknown>): Promise<Refusal> {
  try {
    await call;
  } catch (error) {
    return refusalOf(error);
  }
  throw new Error('the call was accepted, but it should have been refused');
}

/** Starts a subscription that must be refused, and says how (its first error; data is a failure). */
export function subscriptionRefusal(
  subscribe: (handlers: {
    onData: () => void;
    onError: (error: unknown) => void;
  }) => Unsubscribable,
): Promise<Refusal> {
  return new Promise((resolve, reject) => {
    const subscription = subscribe({
      onData: () => {
        subscription.unsubscribe();
        reject(new Error('the subscription delivered data, but it should have been refused'));
      },
      onError: (error) => {
        subscription.unsubscribe();
        try {
          resolve(refusalOf(error));
        } catch (notTrpc) {
          reject(notTrpc instanceof Error ? notTrpc : new Error(String(notTrpc)));
        }
      },
    });
  });
}

/**
 * A `sessions.get` answer without the session's event counter: the one field a refusal that
 * SPEC §6 records (`conflict_rejected`, `unknown_call_rejected`) advances, by appending its
 * `decision` event. Everything else, `lastActivityAt` included, must stay as it was.
 */
export function withoutEventCounter(details: SessionDetails) {
  const { lastSeq: _lastSeq, ...session } = details.session;
  return { ...details, session };
}
