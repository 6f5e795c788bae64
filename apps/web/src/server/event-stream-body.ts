/**
 * The body of an event stream passed through to the browser, ended cleanly when the runtime's
 * side breaks off (it stopped or restarted). The browser's EventSource then reconnects with the
 * last event id it saw, as after any end of stream; an event cut in half is dropped by it. Only
 * for `text/event-stream`: any other body cut short must fail as such.
 */
export function endingCleanly(upstream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = upstream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch {
        controller.close();
      }
    },
    async cancel(reason) {
      await reader.cancel(reason);
    },
  });
}
