import type { SessionEvent } from '@baton/domain';
import type { EventRecorder } from './events';

/** An event of one type, with its `data` typed. */
export type EventOf<T extends SessionEvent['type']> = Extract<SessionEvent, { type: T }>;

/** A guard that matches events of `type`. */
export const isEvent =
  <T extends SessionEvent['type']>(type: T) =>
  (event: SessionEvent): event is EventOf<T> =>
    event.type === type;

/** The events of `type` among `events`, in order. */
export function eventsOf<T extends SessionEvent['type']>(
  events: readonly SessionEvent[],
  type: T,
): EventOf<T>[] {
  return events.filter(isEvent(type));
}

/** Matches the start of a model step (`run.state` → `model_step`). */
export const isModelStep = (event: SessionEvent): boolean =>
  event.type === 'run.state' && event.data.to === 'model_step';

/** Waits for the first recorded event of `type` that `matches` accepts, typed. */
export async function waitForEvent<T extends SessionEvent['type']>(
  recorder: EventRecorder,
  type: T,
  matches: (event: EventOf<T>) => boolean = () => true,
): Promise<EventOf<T>> {
  const guard = isEvent(type);
  return (await recorder.waitFor((event) => guard(event) && matches(event), type)) as EventOf<T>;
}
