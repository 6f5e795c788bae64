import type { BatonClient } from '@baton/client';
import { createBatonClient } from '@baton/client';
import { LIVE_RETRIES } from './chaos-driver';
import type { RuntimeProcess } from './runtime-process';
import type { Scenario } from './scenario';

/** One kill and the restart after it. */
export interface Restart {
  /** The generation that was killed; the new one is `killed + 1`. */
  readonly killed: number;
  /** From the SIGKILL to the new process listening. */
  readonly downMs: number;
}

/**
 * The one runtime of a scenario, killed (SIGKILL) and restarted on the same database again and
 * again. Each start is a generation: 0 is the scenario's own process, each restart adds one, on
 * a new port. Clients are made per token for the live generation.
 */
export interface ChaosRuntime {
  readonly generation: number;
  readonly current: RuntimeProcess;
  /** Every process started, in order (their logs are the failure report). */
  readonly processes: readonly RuntimeProcess[];
  readonly restarts: readonly Restart[];
  /** The client of `token` on the live generation. */
  clientFor(token: string): BatonClient;
  /**
   * After the `attempt`-th try of a request to `generation` got no answer: resolves once a
   * later generation listens, when `generation` was killed. A live runtime can drop a
   * connection too under load (a keep-alive socket closed as it was reused): that is tried
   * again at once, up to {@link LIVE_RETRIES} times, then rejected.
   */
  afterFailure(generation: number, error: Error, attempt: number): Promise<void>;
  /** Calls `listener` with each new generation, once it listens. */
  onRestart(listener: (generation: number) => void): void;
  /** SIGKILL the live process, then start the next generation and wait for it to listen. */
  killAndRestart(): Promise<Restart>;
}

/** Takes over `scenario`'s runtime process as generation 0. */
export function chaosRuntime(scenario: Scenario): ChaosRuntime {
  const processes: RuntimeProcess[] = [scenario.runtime];
  const restarts: Restart[] = [];
  const listeners: ((generation: number) => void)[] = [];
  /** Generations marked killed (before the signal is sent, so every failure it causes sees it). */
  const killed = new Set<number>();
  let clients = new Map<string, BatonClient>();
  /** Resolved when the next generation listens. */
  let up = nextUp();

  function nextUp(): { resolve: () => void; promise: Promise<void> } {
    let resolve = (): void => undefined;
    const promise = new Promise<void>((r) => (resolve = r));
    return { resolve, promise };
  }

  const runtime: ChaosRuntime = {
    get generation() {
      return processes.length - 1;
    },
    get current() {
      return processes.at(-1) as RuntimeProcess;
    },
    processes,
    restarts,
    clientFor(token) {
      let client = clients.get(token);
      if (!client) {
        client = createBatonClient({ url: runtime.current.url, token });
        clients.set(token, client);
      }
      return client;
    },
    async afterFailure(generation, error, attempt) {
      if (!killed.has(generation)) {
        if (attempt < LIVE_RETRIES) return;
        throw new Error(
          `generation ${generation}, alive, gave no answer ${attempt} times: ${error.message}`,
          { cause: error },
        );
      }
      // The generation after `generation` is the next to listen, or already does.
      if (runtime.generation > generation) return;
      await up.promise;
    },
    onRestart(listener) {
      listeners.push(listener);
    },
    async killAndRestart() {
      const from = runtime.generation;
      killed.add(from);
      const started = performance.now();
      await runtime.current.kill();
      const next = await scenario.startReplica();
      processes.push(next);
      clients = new Map();
      const restart = { killed: from, downMs: Math.round(performance.now() - started) };
      restarts.push(restart);
      const listening = up;
      up = nextUp();
      listening.resolve();
      for (const listener of listeners) listener(runtime.generation);
      return restart;
    },
  };
  return runtime;
}
