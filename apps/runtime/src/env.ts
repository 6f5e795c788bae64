import { readFileSync } from 'node:fs';
import type { AgentName, ApprovalPolicy, DomainConfig } from '@baton/domain';
import { defaultApprovalPolicy, defaultDomainConfig, parseApprovalPolicy } from '@baton/domain';
import { z } from 'zod';
import { ModelScriptError, ModelSpecError, resolveModel } from './models';
import { StartupError, firstLine } from './start-up-error';

/**
 * Every setting of the runtime, read from the environment once, here, and validated at start-up.
 * Nothing else in the runtime reads `process.env`.
 */
const positiveInt = z.coerce.number().int().positive();

const envSchema = z.object({
  BATON_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  BATON_HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .url()
    .refine((url) => /^postgres(ql)?:\/\//i.test(url), {
      message: 'must be a PostgreSQL URL: postgres://user@host:5432/database',
    })
    .optional(),
  BATON_DATA_DIR: z.string().default('./.baton/data'),
  BATON_MODEL: z.string().default('demo'),
  BATON_MODEL_ORCHESTRATOR: z.string().optional(),
  BATON_MODEL_CODER: z.string().optional(),
  BATON_MODEL_ARCHITECT: z.string().optional(),
  BATON_MODEL_DEBUG: z.string().optional(),
  BATON_MODEL_ASK: z.string().optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  ANTHROPIC_API_KEY: z.string().optional(),
  BATON_MODEL_BASE_URL: z.string().url().optional(),
  BATON_MODEL_API_KEY: z.string().optional(),
  BATON_MODEL_CONCURRENCY: positiveInt.default(16),
  BATON_MODEL_QUEUE: z.coerce.number().int().min(0).optional(),
  BATON_MODEL_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  BATON_PLAN_APPROVAL: z.enum(['required', 'auto']).default('required'),
  BATON_MAX_STEPS: positiveInt.default(25),
  BATON_MAX_RUN_STEPS: positiveInt.default(50),
  BATON_LEASE_MS: positiveInt.default(30_000),
  BATON_DRAIN_MS: z.coerce.number().int().min(0).default(10_000),
  BATON_APPROVAL_TIMEOUT: z.coerce.number().min(0).default(0),
  BATON_APPROVAL_POLICY: z.string().optional(),
  BATON_MAX_RESULT_BYTES: positiveInt.default(1024 * 1024),
  BATON_MAX_MESSAGE_CHARS: positiveInt.default(100_000),
  BATON_RATE_LIMIT: z.coerce.number().int().min(0).default(1200),
  BATON_MAX_STREAMS_PER_TOKEN: positiveInt.default(32),
  BATON_FAILED_AUTH_LIMIT: positiveInt.default(60),
  BATON_BOOTSTRAP_TOKEN: z.string().min(16).optional(),
  BATON_REPLICA_ID: z.string().optional(),
  BATON_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  BATON_DASHBOARD_URL: z.string().url().optional(),
});

/** The runtime's settings, typed. */
export interface Settings {
  readonly port: number;
  readonly host: string;
  readonly database: { readonly url?: string; readonly dataDir: string };
  readonly models: {
    readonly default: string;
    readonly perAgent: Partial<Record<AgentName, string>>;
    readonly openaiApiKey?: string;
    readonly openaiBaseUrl?: string;
    readonly anthropicApiKey?: string;
    readonly compatibleBaseUrl?: string;
    readonly compatibleApiKey?: string;
    readonly concurrency: number;
    /** Steps that may wait for one of the `concurrency` slots; beyond, a step goes elsewhere. */
    readonly queue: number;
    readonly retries: number;
  };
  readonly domain: DomainConfig;
  readonly leaseMs: number;
  /** How long a stop waits for requests and model steps in flight before it gives them up. */
  readonly drainMs: number;
  readonly limits: {
    readonly maxResultBytes: number;
    readonly maxMessageChars: number;
    /** Requests per minute per token; 0: unlimited. */
    readonly requestsPerMinute: number;
    /** Event streams one token may hold open on this replica at once. */
    readonly streamsPerToken: number;
    /** Token lookups that find nothing, per minute per client address, before it is refused. */
    readonly failedAuthPerMinute: number;
  };
  readonly bootstrapToken?: string;
  readonly replicaId?: string;
  readonly logLevel: string;
  readonly dashboardUrl?: string;
}

function loadPolicy(value: string | undefined): ApprovalPolicy {
  if (value === undefined || value.trim() === '') return defaultApprovalPolicy;
  let json: unknown;
  try {
    json = JSON.parse(value.trim().startsWith('{') ? value : readFileSync(value, 'utf8'));
  } catch (error) {
    throw new StartupError(`BATON_APPROVAL_POLICY: ${firstLine(error)}`);
  }
  const parsed = parseApprovalPolicy(json);
  if (!parsed.ok) throw new StartupError(`BATON_APPROVAL_POLICY: ${parsed.message}`);
  return parsed.policy;
}

/**
 * Resolves the model every `BATON_MODEL…` variable names, so that a spec without a provider
 * (`gpt-4o`), a missing key or an unreadable script stops the start before anything is written,
 * with a line naming the variable. The default is checked even when every agent overrides it.
 */
function modelProblems(models: Settings['models'], variables: Record<string, string | undefined>) {
  const problems: string[] = [];
  for (const [variable, spec] of Object.entries(variables)) {
    if (spec === undefined) continue;
    try {
      resolveModel(spec, models);
    } catch (error) {
      if (!(error instanceof ModelSpecError || error instanceof ModelScriptError)) throw error;
      problems.push(`${variable}: ${error.message}`);
    }
  }
  return problems;
}

/**
 * Reads and validates the settings, models included; a bad value stops the start with a
 * {@link StartupError} naming every bad variable, one line each.
 */
export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new StartupError(problems.join('\n'));
  }
  const e = parsed.data;
  const perAgent: Partial<Record<AgentName, string>> = {};
  if (e.BATON_MODEL_ORCHESTRATOR) perAgent.orchestrator = e.BATON_MODEL_ORCHESTRATOR;
  if (e.BATON_MODEL_CODER) perAgent.coder = e.BATON_MODEL_CODER;
  if (e.BATON_MODEL_ARCHITECT) perAgent.architect = e.BATON_MODEL_ARCHITECT;
  if (e.BATON_MODEL_DEBUG) perAgent.debug = e.BATON_MODEL_DEBUG;
  if (e.BATON_MODEL_ASK) perAgent.ask = e.BATON_MODEL_ASK;
  const settings: Settings = {
    port: e.BATON_PORT,
    host: e.BATON_HOST,
    database: { ...(e.DATABASE_URL ? { url: e.DATABASE_URL } : {}), dataDir: e.BATON_DATA_DIR },
    models: {
      default: e.BATON_MODEL,
      perAgent,
      ...(e.OPENAI_API_KEY ? { openaiApiKey: e.OPENAI_API_KEY } : {}),
      ...(e.OPENAI_BASE_URL ? { openaiBaseUrl: e.OPENAI_BASE_URL } : {}),
      ...(e.ANTHROPIC_API_KEY ? { anthropicApiKey: e.ANTHROPIC_API_KEY } : {}),
      ...(e.BATON_MODEL_BASE_URL ? { compatibleBaseUrl: e.BATON_MODEL_BASE_URL } : {}),
      ...(e.BATON_MODEL_API_KEY ? { compatibleApiKey: e.BATON_MODEL_API_KEY } : {}),
      concurrency: e.BATON_MODEL_CONCURRENCY,
      queue: e.BATON_MODEL_QUEUE ?? 10 * e.BATON_MODEL_CONCURRENCY,
      retries: e.BATON_MODEL_RETRIES,
    },
    domain: {
      ...defaultDomainConfig,
      planApproval: e.BATON_PLAN_APPROVAL,
      maxSubtaskSteps: e.BATON_MAX_STEPS,
      maxRunSteps: e.BATON_MAX_RUN_STEPS,
      approvalTimeoutMs: e.BATON_APPROVAL_TIMEOUT > 0 ? e.BATON_APPROVAL_TIMEOUT * 1000 : null,
      approvalPolicy: loadPolicy(e.BATON_APPROVAL_POLICY),
    },
    leaseMs: e.BATON_LEASE_MS,
    drainMs: e.BATON_DRAIN_MS,
    limits: {
      maxResultBytes: e.BATON_MAX_RESULT_BYTES,
      maxMessageChars: e.BATON_MAX_MESSAGE_CHARS,
      requestsPerMinute: e.BATON_RATE_LIMIT,
      streamsPerToken: e.BATON_MAX_STREAMS_PER_TOKEN,
      failedAuthPerMinute: e.BATON_FAILED_AUTH_LIMIT,
    },
    ...(e.BATON_BOOTSTRAP_TOKEN ? { bootstrapToken: e.BATON_BOOTSTRAP_TOKEN } : {}),
    ...(e.BATON_REPLICA_ID ? { replicaId: e.BATON_REPLICA_ID } : {}),
    logLevel: e.BATON_LOG_LEVEL,
    ...(e.BATON_DASHBOARD_URL ? { dashboardUrl: e.BATON_DASHBOARD_URL } : {}),
  };
  const problems = modelProblems(settings.models, {
    BATON_MODEL: e.BATON_MODEL,
    BATON_MODEL_ORCHESTRATOR: e.BATON_MODEL_ORCHESTRATOR,
    BATON_MODEL_CODER: e.BATON_MODEL_CODER,
    BATON_MODEL_ARCHITECT: e.BATON_MODEL_ARCHITECT,
    BATON_MODEL_DEBUG: e.BATON_MODEL_DEBUG,
    BATON_MODEL_ASK: e.BATON_MODEL_ASK,
  });
  if (problems.length > 0) throw new StartupError(problems.join('\n'));
  return settings;
}
