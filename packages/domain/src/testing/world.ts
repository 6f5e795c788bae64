import type { DomainConfig, TransitionContext } from '../context';
import { defaultDomainConfig, sequentialIds, testDigest } from '../context';
import type { DomainEvent } from '../events';
import type { SessionInput } from '../inputs';
import type { Effect, TransitionResult } from '../outcome';
import type { Decision, Message, Plan, ToolCall } from '../records';
import type { SessionState } from '../state';
import { createSession } from '../state';
import { transition } from '../transition';

/**
 * A session held in memory with everything it ever produced: the test stand-in for the engine
 * and the database. It applies inputs through {@link transition} and keeps the full state (the
 * engine loads only a working set; the full state is a superset of it).
 */
export interface World {
  state: SessionState;
  now: number;
  readonly messages: Message[];
  readonly decisions: Decision[];
  readonly events: DomainEvent[];
  readonly effects: Effect[];
  readonly ctx: () => TransitionContext;
  apply(input: SessionInput): TransitionResult;
  /** The effect a model step in flight is waiting on (the last `run_model_step`). */
  pendingStep(): Extract<Effect, { type: 'run_model_step' }>;
  plan(): Plan;
  calls(): ToolCall[];
}

/** A new idle session (`session-1`) at a fixed clock, with deterministic ids. */
export function createWorld(config: Partial<DomainConfig> = {}): World {
  const newId = sequentialIds();
  const fullConfig = { ...defaultDomainConfig, ...config };
  const created = createSession({ id: 'session-1', title: 'test' }, { now: 0 });
  const world: World = {
    state: created.state,
    now: 1_700_000_000_000,
    messages: [],
    decisions: [],
    events: [...created.events],
    effects: [],
    ctx: () => ({ now: world.now, newId, digest: testDigest, config: fullConfig }),
    apply(input) {
      const result = transition(world.state, input, world.ctx());
      world.state = result.state;
      world.messages.push(...result.messages);
      world.decisions.push(...result.decisions);
      world.events.push(...result.events);
      world.effects.push(...result.effects);
      world.now += 1000;
      return result;
    },
    pendingStep() {
      const run = world.state.session.run;
      if (run.status !== 'model_step') throw new Error(`no step in flight (run is ${run.status})`);
      return {
        type: 'run_model_step',
        runId: run.runId,
        stepId: run.stepId,
        fence: run.fence,
        owner: run.owner,
        agent: run.agent,
      };
    },
    plan() {
      const plans = Object.values(world.state.plans);
      const plan = plans[plans.length - 1];
      if (!plan) throw new Error('no plan');
      return plan;
    },
    calls() {
      return Object.values(world.state.calls);
    },
  };
  return world;
}

/** Completes the step in flight with `text` and `toolCalls`. */
export function step(
  world: World,
  text: string,
  toolCalls: { name: string; arguments: Record<string, unknown> }[] = [],
): TransitionResult {
  const pending = world.pendingStep();
  return world.apply({
    type: 'model_step_completed',
    stepId: pending.stepId,
    fence: pending.fence,
    text,
    toolCalls: toolCalls.map((call) => ({
      name: call.name,
      arguments: call.arguments as never,
    })),
  });
}
