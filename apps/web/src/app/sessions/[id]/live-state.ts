import type { RunStatus, SessionEvent } from '@baton/domain';

/** What the session page keeps from its event stream (the rest it reads from `sessions.get`). */
export interface LiveState {
  /** The `seq` of the last event applied, so a repeated event is not applied twice. */
  readonly lastSeq: number;
  /** The run states taken, in order, starting from the first `run.state` event's `from`. */
  readonly path: readonly RunStatus[];
  /** Text streamed by steps whose final message has not arrived yet, by step id. */
  readonly streaming: Readonly<Record<string, string>>;
  /** Events seen; the page refetches its records when this changes. */
  readonly count: number;
  /** The latest events but streamed text (at most {@link RECENT_EVENTS}), oldest first. */
  readonly recent: readonly SessionEvent[];
}

/** How many events the page keeps for its event list. */
export const RECENT_EVENTS = 50;

export const emptyLiveState: LiveState = {
  lastSeq: -1,
  path: [],
  streaming: {},
  count: 0,
  recent: [],
};

/**
 * Folds one event into the live state. Events come in `seq` order; one at or before
 * `lastSeq` is a repeat and changes nothing.
 */
export function foldEvent(state: LiveState, event: SessionEvent): LiveState {
  if (event.seq <= state.lastSeq) return state;
  const next = {
    ...state,
    lastSeq: event.seq,
    count: state.count + 1,
    recent:
      event.type === 'message.delta'
        ? state.recent
        : [...state.recent.slice(-(RECENT_EVENTS - 1)), event],
  };
  switch (event.type) {
    case 'run.state': {
      const start = state.path.length === 0 ? [event.data.from] : state.path;
      return { ...next, path: [...start, event.data.to] };
    }
    case 'message.delta': {
      const text = (state.streaming[event.data.stepId] ?? '') + event.data.text;
      return { ...next, streaming: { ...state.streaming, [event.data.stepId]: text } };
    }
    case 'message.assistant': {
      const { [event.data.stepId]: _done, ...rest } = state.streaming;
      return { ...next, streaming: rest };
    }
    default:
      return next;
  }
}

/** The last `max` states of `path`, and how many earlier ones were left out. */
export function recentPath(
  path: readonly RunStatus[],
  max: number,
): { readonly states: readonly RunStatus[]; readonly omitted: number } {
  const omitted = Math.max(0, path.length - max);
  return { states: path.slice(omitted), omitted };
}
