import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatonClient } from '@baton/client';
import { createBatonClient } from '@baton/client';
import type { ScenarioDatabase } from './database';
import { createScenarioDatabase } from './database';
import type { RuntimeProcess } from './runtime-process';
import { startRuntimeProcess } from './runtime-process';

/** One recorded model output of a `script:` model (see apps/runtime/src/models). */
export interface ScriptStep {
  readonly text?: string;
  readonly toolCalls?: readonly { name: string; arguments: Record<string, unknown> }[];
  readonly delayMs?: number;
  readonly failTimes?: number;
  readonly failStatus?: number;
}

/** A `script:` model file: per agent, the outputs to replay, by position in the conversation. */
export interface Script {
  readonly agents: Partial<Record<string, readonly ScriptStep[]>>;
  readonly repeatLast?: boolean;
}

/** The admin token every scenario runtime accepts (BATON_BOOTSTRAP_TOKEN). */
export const ADMIN_TOKEN = 'scenario-admin-token-0123456789';

/** A runtime process on a fresh database with a scripted model, and clients for each role. */
export interface Scenario {
  readonly runtime: RuntimeProcess;
  readonly database: ScenarioDatabase;
  readonly env: Record<string, string>;
  readonly admin: BatonClient;
  readonly operator: BatonClient;
  /** A client token's client, and a second client (another tenant). */
  readonly client: BatonClient;
  readonly otherClient: BatonClient;
  readonly tokens: {
    readonly client: string;
    readonly operator: string;
    readonly otherClient: string;
  };
  /** Starts one more runtime process on the same database (a replica, or a restart). */
  startReplica(extraEnv?: Record<string, string>): Promise<RuntimeProcess>;
  close(): Promise<void>;
}

/** Writes `script` to a temp file and returns the model spec that replays it. */
export function scriptModel(script: Script): string {
  const file = join(mkdtempSync(join(tmpdir(), 'baton-script-')), 'script.json');
  writeFileSync(file, JSON.stringify(script));
  return `script:${file}`;
}

/** Starts a scenario: database, runtime, tokens. `databaseUrl` null means PGlite. */
export async function startScenario(args: {
  databaseUrl: string | null;
  script: Script;
  env?: Record<string, string>;
}): Promise<Scenario> {
  const database = await createScenarioDatabase(args.databaseUrl);
  const env = {
    ...database.env,
    BATON_MODEL: scriptModel(args.script),
    BATON_BOOTSTRAP_TOKEN: ADMIN_TOKEN,
    BATON_PLAN_APPROVAL: 'required',
    ...args.env,
  };
  const processes: RuntimeProcess[] = [];
  const runtime = await startRuntimeProcess(env);
  processes.push(runtime);
  const admin = createBatonClient({ url: runtime.url, token: ADMIN_TOKEN });
  const make = async (name: string, role: 'client' | 'operator') =>
    (await admin.tokens.create.mutate({ name, role })).token;
  const tokens = {
    client: await make('scenario client', 'client'),
    operator: await make('scenario operator', 'operator'),
    otherClient: await make('another client', 'client'),
  };
  return {
    runtime,
    database,
    env,
    admin,
    operator: createBatonClient({ url: runtime.url, token: tokens.operator }),
    client: createBatonClient({ url: runtime.url, token: tokens.client }),
    otherClient: createBatonClient({ url: runtime.url, token: tokens.otherClient }),
    tokens,
    async startReplica(extraEnv = {}) {
      const replica = await startRuntimeProcess({ ...env, ...extraEnv });
      processes.push(replica);
      return replica;
    },
    async close() {
      await Promise.all(
        processes.map((p) => (p.child.exitCode === null ? p.stop() : Promise.resolve())),
      );
      await database.drop();
    },
  };
}
