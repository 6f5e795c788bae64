import type { RunState } from '@baton/domain';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from './repo/cursor';
import { listDecisions } from './repo/decisions';
import { getPlan } from './repo/plans';
import { getSession, listSessions } from './repo/session-views';
import { countSessionsByRunStatus, statsOverview } from './repo/stats';
import type { StoredSession } from './repo/sessions';
import { createToken, findTokenByHash, hashToken, listTokens, revokeToken } from './repo/tokens';
import { sessions } from './schema';
import { testBackends, useTestDatabase } from './testing/backends';
import type { Clock } from './testing/fixtures';
import { apply, newSession, sessionAwaitingOneCall, stepDone, testClock } from './testing/fixtures';

const SESSIONS = 3000;
const busy: RunState = {
  status: 'awaiting_tools',
  runId: 'run',
  stepId: 'step',
  owner: { kind: 'session' },
  agent: 'coder',
};

/** Every item of a keyset listing, page by page. */
async function everyPage<T>(list: (cursor: string | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await list(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

describe.each(testBackends(inject('databaseUrl')))('listings on $kind', (backend) => {
  const t = useTestDatabase(backend);
  let clock: Clock;
  beforeAll(async () => {
    clock = testClock();
    // Many sessions share a last-activity time, so pages often end inside a run of ties.
    const rows = Array.from({ length: SESSIONS }, (_, i) => {
      const at = new Date(Date.UTC(2029, 0, 1) + (i % 700) * 1000);
      const run = i % 3 === 0 ? busy : ({ status: 'idle' } as const);
      return {
        id: `bulk-${String(i).padStart(5, '0')}`,
        clientId: i % 2 === 0 ? 'client-even' : null,
        title: i % 10 === 0 ? `Needle_${i}%` : `Session ${i}`,
        agent: 'orchestrator' as const,
        run,
        runStatus: run.status,
        activePlanId: null,
        revisingPlanId: null,
        runSteps: 0,
        createdAt: at,
        updatedAt: at,
        lastActivityAt: at,
      };
    });
    for (let i = 0; i < rows.length; i += 500) {
      await t.database.db.insert(sessions).values(rows.slice(i, i + 500));
    }
  });

  const bulk = (items: StoredSession[]) => items.filter((s) => s.id.startsWith('bulk-'));
  const newestFirst = (a: StoredSession, b: StoredSession) =>
    b.lastActivityAt.localeCompare(a.lastActivityAt) || b.id.localeCompare(a.id);

  it('page through thousands of sessions newest first, each exactly once', async () => {
    const items = await everyPage((cursor) => listSessions(t.database.db, { limit: 97, cursor }));
    const ids = bulk(items).map((s) => s.id);
    expect(ids).toHaveLength(SESSIONS);
    expect(new Set(ids).size).toBe(SESSIONS);
    expect(bulk(items)).toEqual([...bulk(items)].sort(newestFirst));
  });

  it('page through sessions filtered by status, client and title', async () => {
    const { db } = t.database;
    const waiting = await everyPage((cursor) =>
      listSessions(db, { status: 'awaiting_tools', limit: 50, cursor }),
    );
    expect(bulk(waiting)).toHaveLength(SESSIONS / 3);
    expect(waiting.every((s) => s.run.status === 'awaiting_tools')).toBe(true);
    const even = await everyPage((cursor) =>
      listSessions(db, { clientId: 'client-even', limit: 200, cursor }),
    );
    expect(bulk(even)).toHaveLength(SESSIONS / 2);
    expect([...even].sort(newestFirst)).toEqual(even);
    const needles = await everyPage((cursor) =>
      listSessions(db, { search: 'needle_1', limit: 7, cursor }),
    );
    expect(needles.map((s) => s.title).every((title) => /^Needle_1/.test(title))).toBe(true);
    expect(needles).toHaveLength(
      bulk(await everyPage((cursor) => listSessions(db, { limit: 1000, cursor }))).filter((s) =>
        /^Needle_1/.test(s.title),
      ).length,
    );
    expect((await listSessions(db, { search: '%', limit: 5000 })).items).toHaveLength(
      SESSIONS / 10,
    );
  });

  it('page through the decision log newest first, by session and by kind', async () => {
    const { database } = t;
    const { sessionId, callId } = await sessionAwaitingOneCall(database, clock);
    const input = {
      type: 'tool_result',
      callId,
      outcome: { type: 'result', value: 'same' },
    } as const;
    for (let i = 0; i < 12; i++) {
      clock.now += i % 2 === 0 ? 0 : 1000;
      await apply(database, { sessionId, clock, input });
    }
    const all = await listDecisions(database.db, { sessionId, limit: 100 });
    expect(all.items).toHaveLength(12);
    expect(all.nextCursor).toBeNull();
    const paged = await everyPage((cursor) =>
      listDecisions(database.db, { sessionId, limit: 5, cursor }),
    );
    expect(paged).toEqual(all.items);
    expect(paged.at(-1)?.kind).toBe('continue_agent');
    const duplicates = await everyPage((cursor) =>
      listDecisions(database.db, { kind: 'duplicate_ignored', limit: 4, cursor }),
    );
    expect(duplicates.map((d) => d.id)).toEqual(paged.slice(0, 11).map((d) => d.id));
  });

  it('show a session and its plan only to their client or an operator', async () => {
    const { database } = t;
    const sessionId = await newSession(database, clock, { clientId: 'client-a' });
    const started = await apply(database, {
      sessionId,
      clock,
      input: { type: 'user_message', text: 'plan it' },
    });
    const planned = await apply(database, {
      sessionId,
      clock,
      input: stepDone(started, 'plan', [
        {
          name: 'create_plan',
          arguments: {
            goal: 'g',
            subtasks: [{ title: 't', description: 'd', agent: 'coder', dependsOn: [] }],
          },
        },
      ]),
    });
    const planId = planned.result.state.session.activePlanId!;
    const { db } = database;
    expect(await getSession(db, { sessionId, access: { clientId: 'client-b' } })).toBeNull();
    expect(await getPlan(db, { planId, access: { clientId: 'client-b' } })).toBeNull();
    const mine = await getSession(db, { sessionId, access: { clientId: 'client-a' } });
    expect(mine?.plans.map((p) => p.id)).toEqual([planId]);
    expect(mine?.approvals.map((a) => a.kind)).toEqual(['plan']);
    expect(mine?.messages.map((m) => m.body.role)).toEqual(['user', 'assistant']);
    const plan = await getPlan(db, { planId, access: { clientId: null } });
    expect(plan).toEqual(planned.result.state.plans[planId]);
    expect(await getPlan(db, { planId: 'plan_none' })).toBeNull();
  });

  it('keep API tokens hashed, list them without secrets, and forget revoked ones', async () => {
    const { db } = t.database;
    const created = await createToken(db, { name: 'ide', role: 'client', now: clock.now });
    expect(created.token).toMatch(/^baton_[A-Za-z0-9_-]{43}$/);
    const found = await findTokenByHash(db, hashToken(created.token));
    expect(found).toMatchObject({ id: created.id, name: 'ide', role: 'client', revokedAt: null });
    expect(await findTokenByHash(db, hashToken('baton_wrong'))).toBeNull();
    const listed = await listTokens(db);
    expect(listed.map((token) => token.id)).toContain(created.id);
    expect(JSON.stringify(listed)).not.toContain(hashToken(created.token));
    expect(await revokeToken(db, { id: created.id, now: clock.now })).toBe(true);
    expect(await revokeToken(db, { id: created.id, now: clock.now })).toBe(false);
    expect(await findTokenByHash(db, hashToken(created.token))).toBeNull();
  });

  it('count sessions by state and decisions by kind, and measure tool round trips', async () => {
    const { database } = t;
    const before = await countSessionsByRunStatus(database.db);
    expect(before.awaiting_tools).toBeGreaterThanOrEqual(SESSIONS / 3);
    expect(Object.keys(before).sort()).toEqual([
      'awaiting_approval',
      'awaiting_plan_decision',
      'awaiting_tools',
      'idle',
      'model_step',
    ]);
    clock.now += 3_600_000;
    const since = clock.now;
    const { sessionId, callId } = await sessionAwaitingOneCall(database, clock);
    clock.now += 1500;
    await apply(database, {
      sessionId,
      clock,
      input: { type: 'tool_result', callId, outcome: { type: 'result', value: 'x' } },
    });
    const overview = await statsOverview(database.db, { since });
    expect(overview.sessionsByStatus.model_step).toBe(before.model_step + 1);
    expect(overview.decisionsByKind).toMatchObject({ continue_agent: 1, duplicate_ignored: 0 });
    expect(overview.toolRoundTrip).toEqual({ count: 1, p50: 1500, p95: 1500, p99: 1500 });
    const allTime = await statsOverview(database.db);
    expect(allTime.decisionsByKind.duplicate_ignored).toBeGreaterThan(0);
  });
});
