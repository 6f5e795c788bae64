import { createBatonClient } from '@baton/client';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backends } from '../harness/backends';
import type { TokenCaller } from '../harness/fuzz-calls';
import {
  callsOf,
  firstSubscriptionOutcome,
  paths,
  procedureOf,
  typedOutcome,
  typeOf,
  unfitForTypedClient,
  verdictOf,
  modelOf,
} from '../harness/fuzz-calls';
import type { FuzzChecker } from '../harness/fuzz-check';
import { createFuzzChecker, isServerFailure, outcomeOf } from '../harness/fuzz-check';
import type { SnapshotSource } from '../harness/fuzz-database';
import { apiSnapshots, sqlSnapshots } from '../harness/fuzz-database';
import { FUZZ_EVERY_BACKEND, FUZZ_SETTINGS } from '../harness/fuzz-env';
import { describe as describeRequest, send } from '../harness/fuzz-http';
import { PROCEDURE_MODELS } from '../harness/fuzz-procedures';
import {
  authorization,
  callerFor,
  clip,
  malformedRequest,
  requestFor,
} from '../harness/fuzz-requests';
import type { FuzzWorld } from '../harness/fuzz-world';
import { buildFuzzWorld, FUZZ_SCRIPT } from '../harness/fuzz-world';
import type { Scenario } from '../harness/scenario';
import { startScenario } from '../harness/scenario';

/**
 * Hostile input (issue 6): every procedure of the router, fuzzed over real HTTP with wrong types,
 * huge strings, deep JSON, broken unicode, missing and extra fields, other sessions' ids, unknown
 * ids and every kind of bad token; then malformed HTTP (methods, batches, bodies, headers); then
 * the typed client. The property: a 4xx (or an acceptance where one is harmless), never a 5xx;
 * and a refused request leaves the database exactly as it was (but for the decision record SPEC
 * §7 allows). On failure fast-check prints the seed: rerun with FC_SEED=<seed>.
 */

/** A property's time: generous, as the machine may be loaded; longer for longer runs. */
const PROPERTY_TIMEOUT_MS = 120_000 + FUZZ_SETTINGS.numRuns * 1_000;

// In CI one database (PostgreSQL when there is one) keeps the file near a minute; full: every one.
const databases = backends(inject('databaseUrl'));
const fuzzed = FUZZ_EVERY_BACKEND ? databases : databases.slice(-1);

describe.each(fuzzed)('on $kind', ({ databaseUrl }) => {
  let scenario: Scenario;
  let world: FuzzWorld;
  let snapshots: SnapshotSource;
  let checker: FuzzChecker;
  let started = 0;
  let setupSeconds = 0;

  beforeAll(async () => {
    const setupStart = Date.now();
    scenario = await startScenario({
      databaseUrl,
      script: FUZZ_SCRIPT,
      // The fuzz sends hundreds of requests a second: the limiter would answer them all with 429.
      env: { BATON_RATE_LIMIT: '0' },
    });
    world = await buildFuzzWorld(scenario);
    const url = scenario.database.env['DATABASE_URL'];
    snapshots = url ? await sqlSnapshots(url) : apiSnapshots(scenario.operator, scenario.admin);
    checker = await createFuzzChecker(snapshots, scenario.runtime);
    started = Date.now();
    setupSeconds = Math.round((started - setupStart) / 1000);
  });

  afterAll(async () => {
    if (checker) {
      const { requests, outcomes } = checker.stats;
      const seconds = Math.round((Date.now() - started) / 1000);
      console.info(
        `hostile input on ${scenario.database.kind}: set up in ${setupSeconds} s, then ` +
          `${requests} requests in ${seconds} s ` +
          `(database checked by ${snapshots.how} after each); outcomes ${JSON.stringify(
            Object.fromEntries(outcomes),
          )}`,
      );
    }
    await snapshots?.close();
    await scenario?.close();
  });

  /** The typed client of a caller with a token (the bad ones included). */
  const typedClient = (caller: TokenCaller) =>
    createBatonClient({ url: scenario.runtime.url, token: world.tokens[caller] });

  it('fuzzes every procedure of the router, and nothing else', () => {
    expect(paths).toEqual(Object.keys(PROCEDURE_MODELS).sort());
  });

  it.each(paths)(
    '%s: hostile input from any caller is answered 4xx (or harmlessly accepted), and a refusal changes nothing',
    async (path) => {
      const type = typeOf(path);
      await fc.assert(
        fc.asyncProperty(callsOf(path, world, callerFor(modelOf(path).role)), async (call) => {
          const headers = authorization(world, call.caller, call.malformed);
          const request = requestFor(path, type, headers, call.inputText);
          const logMark = checker.logMark();
          const answer = await send(scenario.runtime.url, request);
          const sizes = {
            requestBytes: Buffer.byteLength(request.body ?? ''),
            // Node counts the headers too: a long malformed token and a long URL add up.
            headLength:
              request.path.length +
              Object.entries(request.headers).reduce(
                (bytes, [name, value]) => bytes + name.length + value.length + 4,
                0,
              ),
          };
          await checker.judge({
            label: path,
            sent: describeRequest(request),
            answer,
            serverFailure: isServerFailure(answer),
            calls: [verdictOf(call, world, outcomeOf(answer), sizes)],
            logMark,
          });
        }),
        FUZZ_SETTINGS,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'malformed HTTP (methods, batches, bodies, content types, headers) is answered 4xx and changes nothing',
    async () => {
      const harmless = ['sessions.create', 'tokens.create'];
      const requests = malformedRequest(paths, (caller, malformed) =>
        authorization(world, caller, malformed),
      ).map((r) => Object.assign(r, { [fc.toStringMethod]: () => r.shown }));
      await fc.assert(
        fc.asyncProperty(requests, async ({ request }) => {
          const logMark = checker.logMark();
          const answer = await send(scenario.runtime.url, request);
          const oversized =
            request.path.length > 15_000 || Buffer.byteLength(request.body ?? '') > 2_000_000;
          const outcome = outcomeOf(answer);
          await checker.judge({
            label: 'http',
            sent: describeRequest(request),
            answer,
            serverFailure: isServerFailure(answer),
            calls: [
              {
                outcome,
                allowed: outcome.filter((o) => o !== 'CLOSED' || oversized),
                because: 'any answer but a server error (or a closed connection, if oversized)',
                acceptance: harmless.some((p) => request.path.includes(p)) ? 'harmless' : 'noop',
              },
            ],
            logMark,
          });
        }),
        FUZZ_SETTINGS,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'through the typed client, batched hostile calls are each answered 4xx (or accepted), never a server error',
    async () => {
      const typedPaths = paths.filter((p) => typeOf(p) !== 'subscription');
      const batch = fc
        .constantFrom<TokenCaller>(
          'client',
          'otherClient',
          'operator',
          'admin',
          'revoked',
          'unknown',
        )
        .chain((caller) =>
          fc
            .array(
              fc
                .constantFrom(...typedPaths)
                .chain((path) => callsOf(path, world, fc.constant(caller))),
              { minLength: 1, maxLength: 4 },
            )
            .map((calls) => ({ caller, calls })),
        )
        .filter(({ calls }) => !calls.some(unfitForTypedClient));
      await fc.assert(
        fc.asyncProperty(batch, async ({ caller, calls }) => {
          const client = typedClient(caller);
          const logMark = checker.logMark();
          // Issued in one tick: the client batches them (queries in one GET, mutations in one POST).
          const outcomes = await Promise.all(
            calls.map((call) => {
              const method = typeOf(call.path) === 'mutation' ? 'mutate' : 'query';
              return typedOutcome(
                Promise.resolve().then(() => procedureOf(client, call.path)[method]?.(call.input)),
              );
            }),
          );
          await checker.judge({
            label: 'typed',
            sent: calls.map((c) => `${c.path} by ${c.caller}: ${clip(c.inputText)}`).join('\n'),
            answer: outcomes,
            serverFailure: outcomes.includes('INTERNAL_SERVER_ERROR'),
            calls: calls.map((call, i) =>
              verdictOf(call, world, [outcomes[i] ?? '?'], { requestBytes: 0, headLength: 0 }),
            ),
            logMark,
          });
        }),
        FUZZ_SETTINGS,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'through the typed client, a subscription to another client’s or an unknown session, or from a bad event id, ends in a 4xx error',
    async () => {
      const subscriptions = fc
        .constantFrom<TokenCaller>('client', 'otherClient', 'operator', 'revoked')
        .chain((caller) =>
          callsOf('sessions.events', world, fc.constant(caller)).map((call) => ({ caller, call })),
        )
        .filter(({ call }) => !unfitForTypedClient(call));
      await fc.assert(
        fc.asyncProperty(subscriptions, async ({ caller, call }) => {
          const client = typedClient(caller);
          const logMark = checker.logMark();
          const outcome = await firstSubscriptionOutcome(client, call.input);
          await checker.judge({
            label: 'typed subscription',
            sent: `sessions.events by ${call.caller}: ${clip(call.inputText)}`,
            answer: outcome,
            serverFailure: outcome === 'INTERNAL_SERVER_ERROR',
            calls: [verdictOf(call, world, [outcome], { requestBytes: 0, headLength: 0 })],
            logMark,
          });
        }),
        { ...FUZZ_SETTINGS, numRuns: Math.ceil(FUZZ_SETTINGS.numRuns / 2) },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it('refuses a batch of more than 50 calls, and the typed client never sends one', async () => {
    const batchOf = (n: number) => {
      const paths = Array.from({ length: n }, () => 'health').join(',');
      const input = encodeURIComponent(
        JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, null]))),
      );
      return fetch(`${scenario.runtime.url}/trpc/${paths}?batch=1&input=${input}`);
    };
    expect((await batchOf(51)).status).toBe(400);
    expect((await batchOf(50)).status).toBe(200);
    const client = typedClient('client');
    const answers = await Promise.all(Array.from({ length: 120 }, () => client.health.query()));
    expect(answers.every((answer) => answer.status === 'ok')).toBe(true);
  });
});
