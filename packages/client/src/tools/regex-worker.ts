import { Worker } from 'node:worker_threads';

/**
 * The worker's code, plain JavaScript run with `eval` so it needs no TypeScript loader. It
 * answers each batch of lines with the indices of those the pattern matches, or with the
 * message of the error the engine threw (a backtracking stack that overflowed).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const pattern = new RegExp(workerData.source);
parentPort.on('message', (lines) => {
  try {
    const hits = [];
    for (let index = 0; index < lines.length; index += 1) {
      if (pattern.test(lines[index])) hits.push(index);
    }
    parentPort.postMessage({ hits });
  } catch (error) {
    parentPort.postMessage({ failure: String(error) });
  }
});
`;

type Reply = { readonly hits: number[] } | { readonly failure: string };

/** A regular expression running on its own thread, so that it can be stopped mid-match. */
export interface RegexWorker {
  /**
   * The indices of `lines` that the expression matches, or why the engine could not run it.
   * Rejects with `stop`'s reason once `stop` aborts, the match being cut wherever it was.
   */
  readonly matchingLines: (lines: readonly string[]) => Promise<number[] | string>;
  /** Ends the thread; the matcher is not used afterwards. */
  readonly close: () => void;
}

/**
 * Starts a worker thread that tests lines against the regular expression `source` (already
 * known to compile), and terminates it as soon as `stop` aborts. A catastrophic expression
 * such as `^(a+)+$` cannot be interrupted on the thread that runs it; terminating the thread
 * can. One worker serves a whole search: starting one costs tens of milliseconds, a batch a
 * few dozen microseconds.
 */
export function startRegexWorker(source: string, stop: AbortSignal): RegexWorker {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { source } });
  // Replies come back in the order the batches were posted.
  const waiting: { resolve: (reply: Reply) => void; reject: (reason: unknown) => void }[] = [];
  const failAll = (reason: unknown): void => {
    for (const pending of waiting.splice(0)) pending.reject(reason);
  };
  worker.on('message', (reply: Reply) => waiting.shift()?.resolve(reply));
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(stop.reason ?? new Error(`regex worker exited (${code})`)));
  const onStop = (): void => {
    failAll(stop.reason);
    void worker.terminate();
  };
  stop.addEventListener('abort', onStop, { once: true });
  if (stop.aborted) onStop();
  return {
    matchingLines: async (lines) => {
      if (stop.aborted) throw stop.reason;
      const reply = await new Promise<Reply>((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.postMessage(lines);
      });
      return 'hits' in reply ? reply.hits : reply.failure;
    },
    close: () => {
      stop.removeEventListener('abort', onStop);
      void worker.terminate();
    },
  };
}
