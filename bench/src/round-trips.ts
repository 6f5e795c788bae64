import { performance } from 'node:perf_hooks';
import type { BatonClient } from '@baton/client';
import type { SessionEvent } from '@baton/domain';

type Dispatched = Extract<SessionEvent, { type: 'tool_call.dispatched' }>['data'];

/** One benchmark client: a session of agent `coder` whose every tool call it answers at once. */
export interface LoopClient {
  /** Resolves once the first tool call is dispatched (the session is set up). */
  readonly ready: Promise<void>;
  /**
   * Answers tool calls until `deadline` (performance.now() ms), then resolves with each round
   * trip's duration: from just before `toolResults.submit` to the next `tool_call.dispatched`.
   */
  drive(deadline: number): Promise<number[]>;
  close(): void;
}

/** How long past its deadline a client waits for its last round trip before giving up. */
const GRACE_MS = 30_000;

/** Creates the session, subscribes to its events and sends the message that starts the loop. */
export function startLoopClient(client: BatonClient): LoopClient {
  const seen = new Set<string>();
  const durations: number[] = [];
  let next: Dispatched | null = null;
  let onDispatched: (call: Dispatched) => void = (call) => {
    next = call;
  };
  let fail: (error: Error) => void = () => undefined;
  let unsubscribe = (): void => undefined;

  const ready = (async () => {
    const { id: sessionId } = await client.sessions.create.mutate({
      agent: 'coder',
      title: 'bench',
    });
    const first = new Promise<void>((resolve, reject) => {
      fail = reject;
      const subscription = client.sessions.events.subscribe(
        { sessionId, lastEventId: null },
        {
          onData: ({ data }) => {
            if (data.type !== 'tool_call.dispatched' || seen.has(data.data.callId)) return;
            seen.add(data.data.callId);
            onDispatched(data.data);
            resolve();
          },
          onError: (error) => fail(error instanceof Error ? error : new Error(String(error))),
        },
      );
      unsubscribe = () => subscription.unsubscribe();
    });
    await client.messages.send.mutate({ sessionId, content: 'read files, forever' });
    await first;
    return sessionId;
  })();

  return {
    ready: ready.then(() => undefined),
    async drive(deadline) {
      const sessionId = await ready;
      await new Promise<void>((resolve, reject) => {
        const giveUp = setTimeout(resolve, Math.max(0, deadline - performance.now()) + GRACE_MS);
        fail = (error) => {
          clearTimeout(giveUp);
          reject(error);
        };
        let startedAt: number | null = null;
        const submit = (call: Dispatched): void => {
          startedAt = performance.now();
          client.toolResults.submit
            .mutate({ sessionId, callId: call.callId, result: { content: 'x'.repeat(64) } })
            .catch(fail);
        };
        onDispatched = (call) => {
          const now = performance.now();
          if (startedAt !== null) durations.push(now - startedAt);
          if (now < deadline) return submit(call);
          clearTimeout(giveUp);
          resolve();
        };
        if (next) submit(next);
      });
      return durations;
    },
    close: () => unsubscribe(),
  };
}
