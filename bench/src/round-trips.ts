import { performance } from 'node:perf_hooks';
import type { BatonClient } from '@baton/client';
import type { SessionEvent } from '@baton/domain';
import type { LeanTarget } from './lean-http';
import { leanMutate, leanSessionEvents } from './lean-http';

type Dispatched = Extract<SessionEvent, { type: 'tool_call.dispatched' }>['data'];

/**
 * One benchmark client: it works through sessions of agent `coder`, one after another, answering
 * every tool call at once; when a session's run ends (the script's last step answers in text),
 * it starts the next session.
 */
export interface LoopClient {
  /** Resolves once the first tool call is dispatched (the first session is set up). */
  readonly ready: Promise<void>;
  /**
   * Answers tool calls until `deadline` (performance.now() ms), then resolves with each round
   * trip's duration: from just before `toolResults.submit` to the next `tool_call.dispatched` of
   * the same session. The last result of a session, which ends its run, is no round trip.
   */
  drive(deadline: number, onRoundTrip?: (ms: number) => void): Promise<number[]>;
  close(): void;
}

/** How long past its deadline a client waits for its last round trip before giving up. */
const GRACE_MS = 30_000;

/** What one session tells its client. */
interface SessionHandlers {
  /** With the session's id: a call may come before `messages.send` has even answered. */
  onDispatched(sessionId: string, call: Dispatched): void;
  onIdle(): void;
  onError(error: Error): void;
}

/** Creates a session, follows its events and sends the message that starts its run. */
async function openSession(
  client: BatonClient,
  target: LeanTarget,
  handlers: SessionHandlers,
): Promise<{ sessionId: string; close: () => void }> {
  const { id: sessionId } = await client.sessions.create.mutate({ agent: 'coder', title: 'bench' });
  const seen = new Set<string>();
  let started = false;
  const close = leanSessionEvents(
    target,
    sessionId,
    (event) => {
      if (event.type === 'tool_call.dispatched' && !seen.has(event.data.callId)) {
        seen.add(event.data.callId);
        handlers.onDispatched(sessionId, event.data);
      } else if (event.type === 'run.state' && event.data.to !== 'idle') {
        started = true;
      } else if (event.type === 'run.state' && started) {
        handlers.onIdle();
      }
    },
    (error) => handlers.onError(error),
  );
  await client.messages.send.mutate({ sessionId, content: 'read some files' });
  return { sessionId, close };
}

/** Starts the first session; `drive` answers its calls and those of the sessions after it. */
export function startLoopClient(
  client: BatonClient,
  target: LeanTarget,
  resultBytes: number,
): LoopClient {
  const content = 'x'.repeat(resultBytes);
  const durations: number[] = [];
  let current: { sessionId: string; close: () => void } | null = null;
  let pending: { sessionId: string; call: Dispatched } | null = null;
  let handlers: SessionHandlers;
  let becameReady: () => void = () => undefined;
  let failedEarly: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    becameReady = resolve;
    failedEarly = reject;
  });
  // Until `drive` starts: remember the first call, and report failures through `ready`.
  handlers = {
    onDispatched: (sessionId, call) => {
      pending = { sessionId, call };
      becameReady();
    },
    onIdle: () => failedEarly(new Error('the session ended before the benchmark started')),
    onError: (error) => failedEarly(error),
  };
  const open = (): Promise<void> =>
    openSession(client, target, {
      onDispatched: (sessionId, call) => handlers.onDispatched(sessionId, call),
      onIdle: () => handlers.onIdle(),
      onError: (error) => handlers.onError(error),
    }).then((session) => {
      current?.close();
      current = session;
    });
  open().catch((error: unknown) => failedEarly(error as Error));

  return {
    ready,
    async drive(deadline, onRoundTrip) {
      await ready;
      await new Promise<void>((resolve, reject) => {
        const giveUp = setTimeout(resolve, Math.max(0, deadline - performance.now()) + GRACE_MS);
        const finish = (error?: Error): void => {
          clearTimeout(giveUp);
          if (error) reject(error);
          else resolve();
        };
        let startedAt: number | null = null;
        const submit = (sessionId: string, call: Dispatched): void => {
          startedAt = performance.now();
          leanMutate(target, 'toolResults.submit', {
            sessionId,
            callId: call.callId,
            result: { content },
          }).catch(finish);
        };
        handlers = {
          onDispatched: (sessionId, call) => {
            const now = performance.now();
            if (startedAt !== null) {
              durations.push(now - startedAt);
              onRoundTrip?.(now - startedAt);
            }
            if (now >= deadline) return finish();
            submit(sessionId, call);
          },
          onIdle: () => {
            startedAt = null;
            if (performance.now() >= deadline) return finish();
            open().catch(finish);
          },
          onError: finish,
        };
        if (pending) submit(pending.sessionId, pending.call);
      });
      return durations;
    },
    close: () => current?.close(),
  };
}
