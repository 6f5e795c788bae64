import type { SessionEvent } from '@baton/domain';
import type { Database } from '../client';
import { committingLocally } from '../local-events';
import { appendEvents } from './events';
import { lockSession, toSession, updateSession } from './sessions';

/**
 * Records text a model step is streaming as a `message.delta` event, so subscribers see it as it
 * is generated. Like any write to a session it takes the session lock, and it is fenced: it
 * writes only while the run is still on that step at that fence, and returns null otherwise
 * (the step was cancelled, finished, or taken over), so a stale worker's text never reaches the
 * stream. The step's `message.assistant` carries the whole text when it completes.
 */
export async function appendStepText(
  database: Database,
  args: { sessionId: string; stepId: string; fence: number; text: string; now: number },
): Promise<SessionEvent | null> {
  const commit = () =>
    database.transaction(async (tx) => {
      const stored = await lockSession(tx, args.sessionId);
      const run = stored?.run;
      if (!stored || run?.status !== 'model_step' || run.stepId !== args.stepId) return null;
      if (run.fence !== args.fence) return null;
      const [event] = await appendEvents(tx, {
        sessionId: stored.id,
        afterSeq: stored.lastSeq,
        events: [
          {
            type: 'message.delta',
            at: new Date(args.now).toISOString(),
            data: { stepId: args.stepId, text: args.text },
          },
        ],
      });
      const session = toSession(stored);
      await updateSession(tx, {
        session,
        was: session,
        readLastSeq: stored.lastSeq,
        lastSeq: stored.lastSeq + 1,
        now: args.now,
        notify: true,
      });
      return event ?? null;
    });
  return committingLocally(database.localEvents, args.sessionId, commit, (event) =>
    event ? [event] : [],
  );
}
