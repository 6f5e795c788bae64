import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backends } from '../harness/backends';
import { countByKind } from '../harness/chaos-audit';
import type { ChaosDriver } from '../harness/chaos-driver';
import { driveThrough } from '../harness/chaos-driver';
import type { PlanCheck } from '../harness/chaos-plans';
import { PLAN_SHAPE, checkPlanSession, runToTheEnd } from '../harness/chaos-plans';
import { replayCommand, runtimeWarnings } from '../harness/chaos-report';
import type { Restart } from '../harness/chaos-runtime';
import { chaosRuntime } from '../harness/chaos-runtime';
import type { PlannedKill } from '../harness/chaos-schedule';
import { killSchedule, progressCounter, stallWatch } from '../harness/chaos-schedule';
import type { Scenario, Script } from '../harness/scenario';
import { startScenario } from '../harness/scenario';
import { seededRandom } from '../harness/seeded-random';
import { WAIT_MS, planScript } from '../harness/session-driver';

const databaseUrl = inject('databaseUrl');
const proof = inject('proof');
const { plans: PLANS, kills: KILLS } = proof.crash;
// At CI size the storm runs once, on PostgreSQL when given (PGlite otherwise; crash.test.ts
// kills a PGlite runtime in CI too); at full size on every backend.
const storms = proof.crash.everyBackend ? backends(databaseUrl) : backends(databaseUrl).slice(-1);

/** Every model step takes this long, so a kill often lands inside one. */
const STEP_MS = 250;
/** A short lease, so the restarted runtime finds the dead one's leases run out at once. */
const env = { BATON_LEASE_MS: '1000' };
const TIMEOUT_MS = proof.scale === 'full' ? 60 * 60_000 : 8 * 60_000;

function everyStepTakes(script: Script, delayMs: number): Script {
  const agents = Object.entries(script.agents).map(([agent, steps]) => [
    agent,
    steps?.map((step) => ({ ...step, delayMs })),
  ]);
  return { ...script, agents: Object.fromEntries(agents) as Script['agents'] };
}

const script = everyStepTakes(planScript(), STEP_MS);

describe.each(storms)('on $kind', ({ kind, databaseUrl: url }) => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await startScenario({ databaseUrl: url, script, env });
  });
  afterAll(() => scenario.close());

  it(
    `${PLANS} plans run while the runtime is SIGKILLed ${KILLS} times at random moments and restarted: every plan completes, no call is dispatched twice, no message is duplicated, every decision is accounted for`,
    async ({ onTestFailed }) => {
      const random = seededRandom(proof.seed).fork(`crash storm on ${kind}`);
      const schedule = killSchedule(random.fork('kills'), {
        kills: KILLS,
        total: PLANS * (PLAN_SHAPE.steps + PLAN_SHAPE.dispatched),
        share: 0.85,
        maxJitterMs: 600,
      });
      /** Each kill done: the progress it was planned at and came at, and the restart after it. */
      const killed: { planned: PlannedKill; at: number; restart: Restart }[] = [];
      const runtime = chaosRuntime(scenario);
      onTestFailed(() => {
        console.error(
          [
            `crash storm on ${kind} failed; replay it with`,
            `  ${replayCommand(proof, 'src/scenarios/crash-storm.test.ts')}`,
            'kills:',
            ...killed.map(
              ({ planned, at, restart }, i) =>
                `  #${i + 1} at progress ${at} (planned ${planned.afterProgress} + ${planned.jitterMs} ms): generation ${restart.killed} killed, back in ${restart.downMs} ms`,
            ),
            'warnings and errors the runtimes logged (#generation):',
            ...runtimeWarnings(runtime.processes).map((line) => `  ${line}`),
            `last lines of generation ${runtime.generation}:`,
            ...runtime.current.logs.slice(-20).map((line) => `  ${line}`),
          ].join('\n'),
        );
      });

      // One client token per plan, as twenty IDEs would have; all made before the first kill.
      const tokens = await Promise.all(
        Array.from({ length: PLANS }, async (_, i) => {
          const made = await scenario.admin.tokens.create.mutate({
            name: `storm client ${i}`,
            role: 'client',
          });
          return made.token;
        }),
      );
      const sessions = await Promise.all(
        tokens.map((token, i) =>
          runtime.clientFor(token).sessions.create.mutate({ title: `crash storm ${i}` }),
        ),
      );

      const progress = progressCounter();
      const drivers: ChaosDriver[] = [];
      const watch = stallWatch(WAIT_MS, () =>
        [
          `progress ${progress.value}; kills done ${runtime.restarts.length} of ${KILLS}`,
          ...drivers.map((d) => {
            const tail = d.stream.events.slice(-3).map((e) => `${e.seq} ${e.type}`);
            return `  ${d.sessionId}: ${tail.join(', ')}; stream errors ${d.streamErrors.length}`;
          }),
        ].join('\n'),
      );
      sessions.forEach((session, i) => {
        const token = tokens[i] as string;
        drivers.push(
          driveThrough({
            sessionId: session.id,
            route: () => {
              const generation = runtime.generation;
              return {
                client: runtime.clientFor(token),
                afterFailure: (error, attempt) => runtime.afterFailure(generation, error, attempt),
              };
            },
            subscriber: runtime.clientFor(token),
            onEvent: (event) => {
              progress.see(event);
              watch.touch();
            },
          }),
        );
      });
      runtime.onRestart(() => {
        watch.touch();
        drivers.forEach((d, i) => d.resume(runtime.clientFor(tokens[i] as string)));
      });

      const started = performance.now();
      const kills = (async () => {
        for (const planned of schedule) {
          await progress.reached(planned.afterProgress);
          // The chaos: a random moment after the progress was seen, not a wait for something.
          await delay(planned.jitterMs);
          const at = progress.value;
          killed.push({ planned, at, restart: await runtime.killAndRestart() });
        }
      })();
      await runToTheEnd(drivers, watch, [kills]);
      const stormMs = performance.now() - started;

      // Every kill was a SIGKILL of the live runtime, each followed by a restart.
      expect(runtime.restarts).toHaveLength(KILLS);
      expect(runtime.processes.slice(0, -1).map((p) => p.child.signalCode)).toEqual(
        Array.from({ length: KILLS }, () => 'SIGKILL'),
      );

      const checks: PlanCheck[] = [];
      for (const [i, driver] of drivers.entries()) {
        checks.push(await checkPlanSession(runtime.clientFor(tokens[i] as string), driver));
      }
      const log = checks.flatMap((c) => c.log);
      const attempts = drivers.flatMap((d) => [...d.inputs.values()]);
      console.info(
        `crash storm on ${kind}: ${JSON.stringify({
          scale: proof.scale,
          seed: proof.seed,
          plans: PLANS,
          plansCompleted: checks.filter((c) => c.problems.length === 0).length,
          kills: runtime.restarts.length,
          killsAtProgress: killed.map((k) => k.at),
          stormMs: Math.round(stormMs),
          restartMs: runtime.restarts.map((r) => r.downMs),
          inputs: attempts.length,
          attemptsCutOff: attempts.reduce((n, a) => n + a.lost, 0),
          attemptsRefused: attempts.reduce((n, a) => n + a.unsent, 0),
          streamErrors: drivers.reduce((n, d) => n + d.streamErrors.length, 0),
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
