import type {
  Decision,
  DomainEvent,
  IdKind,
  Message,
  SessionInput,
  SessionState,
  TransitionResult,
} from '@baton/domain';
import {
  createSession as createDomainSession,
  defaultDomainConfig,
  sequentialIds,
  transition,
} from '@baton/domain';
import { expect } from 'vitest';
import type { Database } from '../client';
import { sha256Hex } from '../ids';
import { listDecisions } from '../repo/decisions';
import { readSessionEvents } from '../repo/events';
import { getSession } from '../repo/session-views';

/**
 * The same session held in memory with its full state, driven by the domain alone: what the
 * database must end up holding when it commits each transition over working sets.
 */
export interface Mirror {
  state: SessionState;
  messages: Message[];
  decisions: Decision[];
  events: DomainEvent[];
  newId: (kind: IdKind) => string;
}

/** A mirror of a session just created with `id`, `title` at `now`, making ids `<prefix>N`. */
export function createMirror(args: {
  id: string;
  title: string;
  now: number;
  idPrefix: string;
}): Mirror {
  return {
    ...createDomainSession({ id: args.id, title: args.title }, { now: args.now }),
    messages: [],
    decisions: [],
    newId: sequentialIds(args.idPrefix),
  };
}

/** Applies `input` to the mirror's full state at `now` (default settings). */
export function advanceMirror(mirror: Mirror, input: SessionInput, now: number): TransitionResult {
  const result = transition(mirror.state, input, {
    now,
    config: defaultDomainConfig,
    newId: mirror.newId,
    digest: sha256Hex,
  });
  mirror.state = result.state;
  mirror.messages.push(...result.messages);
  mirror.decisions.push(...result.decisions);
  mirror.events.push(...result.events);
  return result;
}

/** Expects the database to hold exactly the mirror's session: records, messages, decisions, events. */
export async function expectStoredAsMirror(database: Database, mirror: Mirror): Promise<void> {
  const sessionId = mirror.state.session.id;
  const stored = await getSession(database.db, { sessionId });
  if (!stored) throw new Error('session missing');
  const { lastSeq, lastActivityAt: _at, ...session } = stored.session;
  expect(session).toEqual(mirror.state.session);
  const sortById = <T extends { id: string }>(records: T[]) =>
    [...records].sort((a, b) => a.id.localeCompare(b.id));
  expect(sortById(stored.calls)).toEqual(sortById(Object.values(mirror.state.calls)));
  expect(sortById(stored.approvals)).toEqual(sortById(Object.values(mirror.state.approvals)));
  expect(sortById(stored.plans)).toEqual(sortById(Object.values(mirror.state.plans)));
  expect(stored.messages).toEqual(mirror.messages);
  const logged = await listDecisions(database.db, { sessionId, limit: 1000 });
  expect(sortById(logged.items)).toEqual(sortById(mirror.decisions));
  const streamed = await readSessionEvents(database.db, { sessionId, limit: 1000 });
  expect(streamed.map(({ type, at, data }) => ({ type, at, data }))).toEqual(mirror.events);
  expect(streamed.map((event) => event.seq)).toEqual(streamed.map((_, i) => i + 1));
  expect(lastSeq).toBe(streamed.length);
}
