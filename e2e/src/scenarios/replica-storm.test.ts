import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BatonClient } from '@baton/client';
import { createBatonClient } from '@baton/client';
import { backends } from '../harness/backends';
import type { LoggedDecision } from '../harness/chaos-audit';
import { accountDecisions, countByKind, decisionLog } from '../harness/chaos-audit';
import type { ChaosDriver, InputAttempts } from '../harness/chaos-driver';
import { driveThrough, retryAtOnce, untilAnswered } from '../harness/chaos-driver';
import type { PlanCheck } from '../harness/chaos-plans';
import { checkPlanSession, runToTheEnd } from '../harness/chaos-plans';
import { exitedProcesses, replayCommand, runtimeWarnings } from '../harness/chaos-report';
import { deliveryOrderProblems } from '../harness/delivery-order';
import { stallWatch } from '../harness/chaos-schedule';
import type { RuntimeProcess } from '../harness/runtime-process';
import type { Scenario } from '../harness/scenario';
import { startScenario } from '../harness/scenario';
import type { SeededRandom } from '../harness/seeded-random';
import { seededRandom } from '../harness/seeded-random';
import {
  SOUND,
  WAIT_MS,
  allEvents,
  auditOnce,
  eventsOf,
  followStream,
  planScript,
  runStateAfter,
  sessionEvents,
} from '../harness/session-driver';

const databaseUrl = inject('databaseUrl');
const proof = inject('proof');
const size = proof.replicas;
// Replicas share one PostgreSQL server; PGlite lives inside one process, so these storms exist
// only when DATABASE_URL is set.
const shared = backends(databaseUrl).filter((backend) => backend.kind === 'postgres');
const TIMEOUT_MS = proof.scale === 'full' ? 30 * 60_000 : 5 * 60_000;

it('runs the replica storms exactly when a PostgreSQL server is given (DATABASE_URL)', () => {
  expect(shared.length).toBe(databaseUrl ? 1 : 0);
});

/** The storm's sessions: three reads at once, then the answer, which sees all three. */
const READS = [
  { name: 'read_file', arguments: { path: 'README.md' } },
  { name: 'list_files', arguments: { path: '.' } },
  { name: 'search_files', arguments: { query: 'hello' } },
];
const ask = [{ text: 'Let me look.', toolCalls: READS }, { text: 'It says hello.' }];

describe.each(shared)(`${size.replicas} replicas on $kind`, ({ databaseUrl: url }) => {
  let scenario: Scenario;
  let replicas: RuntimeProcess[];
  /** How many requests each replica was sent, for the spread check. */
  let sent: number[];

  /** A client of its own (so no two requests share an HTTP batch) on a replica at random. */
  const anyReplica = (random: SeededRandom, token: string): BatonClient => {
    const index = random.int(0, replicas.length - 1);
    sent[index] = (sent[index] ?? 0) + 1;
    return createBatonClient({ url: (replicas[index] as RuntimeProcess).url, token });
  };
  const clientTokens = (count: number, name: string) =>
    Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const made = await scenario.admin.tokens.create.mutate({
          name: `${name} ${i}`,
          role: 'client',
        });
        return made.token;
      }),
    );

  beforeAll(async () => {
    scenario = await startScenario({
      databaseUrl: url,
      script: { agents: { ...planScript().agents, ask } },
    });
    const others = Array.from({ length: size.replicas - 1 }, () => scenario.startReplica());
    replicas = [scenario.runtime, ...(await Promise.all(others))];
  });
  afterAll(() => scenario.close());

  /** What a failed storm prints: how to replay it, and what the replicas logged. */
  const report = (storm: string) => () =>
    console.error(
      [
        `the ${storm} failed; replay it with`,
        `  ${replayCommand(proof, 'src/scenarios/replica-storm.test.ts')}`,
        'warnings and errors the replicas logged:',
        ...runtimeWarnings(replicas).map((line) => `  ${line}`),
        ...exitedProcesses(replicas).map((line) => `  ${line}`),
      ].join('\n'),
    );

  it('are separate processes, each its own lease holder, on the one PostgreSQL', async () => {
    expect(new Set(replicas.map((r) => r.child.pid)).size).toBe(size.replicas);
    const health = await Promise.all(
      replicas.map((r) =>
        createBatonClient({ url: r.url, token: scenario.tokens.client }).health.query(),
      ),
    );
    expect(health.map((h) => h.database)).toEqual(replicas.map(() => 'postgres'));
    const listening = await Promise.all(
      replicas.map((r) => r.waitForLog((e) => e['msg'] === 'Baton runtime listening')),
    );
    expect(new Set(listening.map((entry) => entry['holder'])).size).toBe(size.replicas);
  });

  it(
    `4. a duplicate storm over the replicas: ${size.stormSessions} sessions, each with three parallel calls, every result submitted ${size.copies} times at once through replicas at random → one accepted per call, the rest duplicate_ignored, one continuation per session`,
    async ({ onTestFailed }) => {
      const random = seededRandom(proof.seed).fork('duplicate storm');
      onTestFailed(report('duplicate storm'));
      sent = replicas.map(() => 0);
      const tokens = await clientTokens(size.stormSessions, 'storm client');
      // The operator's global feed, on the first replica; it drops midway and resumes on another.
      const operatorOn = (replica: RuntimeProcess) =>
        createBatonClient({ url: replica.url, token: scenario.tokens.operator });
      const feed = followStream(allEvents(operatorOn(replicas[0]!)));
      const sessions = await Promise.all(
        tokens.map(async (token, i) => {
          const session = await anyReplica(random, token).sessions.create.mutate({
            title: `duplicate storm ${i}`,
            agent: 'ask',
          });
          const stream = followStream(sessionEvents(anyReplica(random, token), session.id));
          await anyReplica(random, token).messages.send.mutate({
            sessionId: session.id,
            content: 'What does the README say?',
          });
          await stream.waitFor(
            () => eventsOf(stream.events, 'tool_call.dispatched').length === READS.length,
            'the three reads',
          );
          const calls = eventsOf(stream.events, 'tool_call.dispatched').map((e) => e.data.callId);
          return { token, sessionId: session.id, stream, calls };
        }),
      );

      // Every copy of every result of every session, at once and in random order, each its own
      // HTTP request to a replica at random.
      const submissions = random.shuffle(
        sessions.flatMap((s) =>
          s.calls.flatMap((callId) =>
            Array.from({ length: size.copies }, () => ({ ...s, callId })),
          ),
        ),
      );
      const lost = new Map<string, number>();
      let submitted = 0;
      const answered = await Promise.all(
        submissions.map(async ({ token, sessionId, callId }) => {
          if (++submitted === Math.floor(submissions.length / 2)) {
            feed.resume(allEvents(operatorOn(replicas[replicas.length - 1]!)));
          }
          const answer = await untilAnswered(
            () => ({ client: anyReplica(random, token), afterFailure: retryAtOnce }),
            (client) =>
              client.toolResults.submit.mutate({
                sessionId,
                callId,
                result: `contents for ${callId}`,
              }),
            () => lost.set(callId, (lost.get(callId) ?? 0) + 1),
          );
          return { callId, ...answer };
        }),
      );
      expect(sent.every((n) => n > 0)).toBe(true);

      const problems: string[] = [];
      const decisions: LoggedDecision[] = [];
      for (const s of sessions) {
        const client = anyReplica(random, s.token);
        await s.stream.waitFor(runStateAfter('idle'), 'the session to be idle');
        // Copies answered after the continuation append their decisions after the idle.
        const { lastSeq } = (await client.sessions.get.query({ sessionId: s.sessionId })).session;
        await s.stream.waitFor((e) => e.seq >= lastSeq, 'the stream to catch up');
        s.stream.close();
        const inputs: InputAttempts[] = s.calls.map((callId) => ({
          type: 'tool_result',
          key: callId,
          answers: answered.filter((a) => a.callId === callId),
          lost: lost.get(callId) ?? 0,
          unsent: 0,
        }));
        const log = await decisionLog(client, s.sessionId);
        decisions.push(...log);
        const found = [
          ...accountDecisions({
            log,
            events: s.stream.events,
            inputs,
            expected: { planAdvanced: 0, planCompleted: 0 },
          }),
        ];
        // Each call: every copy answered, one as the first (unless that answer was lost), all
        // with the same decision (see accountDecisions).
        for (const input of inputs) {
          const first = input.answers.filter((a) => a.duplicate === false).length;
          if (input.answers.length !== size.copies || first > 1 || (first === 0 && !input.lost))
            found.push(`${input.key}: ${input.answers.length} answers, ${first} first`);
        }
        // The session: the last result to land continues the agent, once, and it saw all three.
        const reached = log.filter((d) => d.kind === 'duplicate_ignored').length;
        const expected = {
          continue_agent: 1,
          // One per further copy that reached a replica: exactly, unless a copy went unanswered.
          duplicate_ignored: inputs.some((i) => i.lost > 0)
            ? reached
            : READS.length * (size.copies - 1),
          wait_for_siblings: READS.length - 1,
        };
        const counted = countByKind(log);
        const sorted = (counts: Record<string, number>) =>
          JSON.stringify(Object.entries(counts).sort());
        if (sorted(counted) !== sorted(expected))
          found.push(`decisions ${JSON.stringify(counted)}`);
        const details = await client.sessions.get.query({ sessionId: s.sessionId });
        const roles = details.messages.map((m) => m.body.role).join(' ');
        if (roles !== 'user assistant tool tool tool assistant') found.push(`messages: ${roles}`);
        const steps = s.stream.events.filter(runStateAfter('model_step')).length;
        if (steps !== 2) found.push(`${steps} model steps, expected 2`);
        const resolved = eventsOf(s.stream.events, 'tool_call.resolved').length;
        if (resolved !== READS.length) found.push(`${resolved} calls resolved`);
        const audit = auditOnce(details, s.stream.events);
        if (JSON.stringify(audit) !== JSON.stringify(SOUND)) found.push(JSON.stringify(audit));
        found.push(...deliveryOrderProblems(s.stream.events).map((p) => `sessions.events: ${p}`));
        problems.push(...found.map((p) => `${s.sessionId}: ${p}`));
      }
      // The global feed, across its resumption on another replica: every storm session's events
      // exactly once, each session's in seq order, ids increasing throughout.
      const stormIds = new Set(sessions.map((s) => s.sessionId));
      const lastSeqs = await Promise.all(
        sessions.map(
          async (s) =>
            (await anyReplica(random, s.token).sessions.get.query({ sessionId: s.sessionId }))
              .session.lastSeq,
        ),
      );
      const stormEvents = () => feed.events.filter((e) => stormIds.has(e.sessionId));
      await feed.waitFor(
        () => stormEvents().length >= lastSeqs.reduce((n, seq) => n + seq, 0),
        "every storm session's events on the global feed",
      );
      feed.close();
      problems.push(...deliveryOrderProblems(feed.events).map((p) => `events.all: ${p}`));
      if (feed.segments.length !== 2 || feed.segments.some((segment) => segment.length === 0))
        problems.push(`events.all was not resumed mid-storm (${feed.segments.length} segments)`);
      console.info(
        `duplicate storm over ${size.replicas} replicas: ${JSON.stringify({
          seed: proof.seed,
          sessions: size.stormSessions,
          submissions: submissions.length,
          unanswered: [...lost.values()].reduce((n, l) => n + l, 0),
          perReplica: sent,
          decisions: countByKind(decisions),
        })}`,
      );
      expect(problems).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    `3. ${size.plans} plans driven through the replicas at random, every input sent 1–${size.maxCopies} times at once: every plan completes, every call dispatched once, no agent switch, every decision accounted for`,
    async ({ onTestFailed }) => {
      const random = seededRandom(proof.seed).fork('plans on replicas');
      onTestFailed(report('plans on replicas'));
      sent = replicas.map(() => 0);
      const tokens = await clientTokens(size.plans, 'plan client');
      const drivers: ChaosDriver[] = [];
      const watch = stallWatch(WAIT_MS, () =>
        drivers
          .map((d) => {
            const tail = d.stream.events.slice(-3).map((e) => `${e.seq} ${e.type}`);
            return `  ${d.sessionId}: ${tail.join(', ')}; stream errors ${d.streamErrors.length}`;
          })
          .join('\n'),
      );
      for (const [i, token] of tokens.entries()) {
        const session = await anyReplica(random, token).sessions.create.mutate({
          title: `plan on replicas ${i}`,
        });
        drivers.push(
          driveThrough({
            sessionId: session.id,
            route: () => ({
              client: anyReplica(random, token),
              afterFailure: retryAtOnce,
            }),
            subscriber: anyReplica(random, token),
            copies: () => random.int(1, size.maxCopies),
            onEvent: () => watch.touch(),
          }),
        );
      }
      const started = performance.now();
      await runToTheEnd(drivers, watch);
      const plansMs = performance.now() - started;
      expect(sent.every((n) => n > 0)).toBe(true);

      const checks: PlanCheck[] = [];
      for (const [i, driver] of drivers.entries()) {
        checks.push(await checkPlanSession(anyReplica(random, tokens[i] as string), driver));
      }
      const log = checks.flatMap((c) => c.log);
      const attempts = drivers.flatMap((d) => [...d.inputs.values()]);
      console.info(
        `plans over ${size.replicas} replicas: ${JSON.stringify({
          seed: proof.seed,
          plans: size.plans,
          plansCompleted: checks.filter((c) => c.problems.length === 0).length,
          plansMs: Math.round(plansMs),
          perReplica: sent,
          inputs: attempts.length,
          copiesSent: attempts.reduce((n, a) => n + a.answers.length, 0),
          unanswered: attempts.reduce((n, a) => n + a.lost + a.unsent, 0),
          decisions: log.length,
          decisionsByKind: countByKind(log),
        })}`,
      );
      expect(
        checks.flatMap((c) => c.problems.map((problem) => `${c.sessionId}: ${problem}`)),
      ).toEqual([]);
    },
    TIMEOUT_MS,
  );
});
