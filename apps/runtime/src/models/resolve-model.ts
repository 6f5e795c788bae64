import path from 'node:path';

import { AgentName } from '@baton/domain';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV3 } from '@ai-sdk/provider';

import { createDemoModel } from './demo-model';
import { ModelSpecError } from './errors';
import { createScriptModel, loadModelScript } from './script-model';

/** The provider settings a spec may need (read from env by the runtime's env.ts). */
export interface ModelSettings {
  /** `OPENAI_API_KEY` */
  readonly openaiApiKey?: string;
  /** `OPENAI_BASE_URL` */
  readonly openaiBaseUrl?: string;
  /** `ANTHROPIC_API_KEY` */
  readonly anthropicApiKey?: string;
  /** `BATON_MODEL_BASE_URL` */
  readonly compatibleBaseUrl?: string;
  /** `BATON_MODEL_API_KEY` */
  readonly compatibleApiKey?: string;
}

const FORMS = 'openai:<model>, anthropic:<model>, compatible:<model>, demo, script:<file>';

/**
 * The model a spec names (SPEC §5): `openai:<model>` (chat completions, at `openaiBaseUrl` when
 * set), `anthropic:<model>`, `compatible:<model>` (any OpenAI-compatible chat-completions server
 * at `compatibleBaseUrl`), `demo`, or `script:<file>` (read and validated now, relative to the
 * working directory). Throws a {@link ModelSpecError} naming the env var to set when a key or
 * base URL is missing.
 */
export function resolveModel(spec: string, settings: ModelSettings = {}): LanguageModelV3 {
  const trimmed = spec.trim();
  if (trimmed === 'demo') return createDemoModel();
  const colon = trimmed.indexOf(':');
  const kind = colon < 0 ? trimmed : trimmed.slice(0, colon);
  const rest = colon < 0 ? '' : trimmed.slice(colon + 1).trim();
  const known = ['openai', 'anthropic', 'compatible', 'script'];
  if (!known.includes(kind)) {
    throw new ModelSpecError(`Unknown model "${spec}": use one of ${FORMS}.`);
  }
  if (rest === '') {
    const what = kind === 'script' ? 'file' : 'model';
    throw new ModelSpecError(`Model "${spec}" names no ${what}: write ${kind}:<${what}>.`);
  }
  switch (kind) {
    case 'openai':
      return createOpenAI({
        apiKey: required(settings.openaiApiKey, spec, 'OPENAI_API_KEY'),
        ...(settings.openaiBaseUrl ? { baseURL: settings.openaiBaseUrl } : {}),
      }).chat(rest);
    case 'anthropic':
      return createAnthropic({
        apiKey: required(settings.anthropicApiKey, spec, 'ANTHROPIC_API_KEY'),
      })(rest);
    case 'compatible':
      return createOpenAICompatible({
        // Also the providerOptions key this provider spreads into its request body: never 'baton'.
        name: 'compatible',
        baseURL: required(settings.compatibleBaseUrl, spec, 'BATON_MODEL_BASE_URL'),
        ...(settings.compatibleApiKey ? { apiKey: settings.compatibleApiKey } : {}),
        includeUsage: true,
      }).chatModel(rest);
    default:
      return createScriptModel(loadModelScript(path.resolve(rest)), rest);
  }
}

function required(value: string | undefined, spec: string, envVar: string): string {
  if (value) return value;
  throw new ModelSpecError(`Model "${spec}" needs ${envVar}: set it in the environment.`);
}

/** The spec of `agent`'s model: its own override (`BATON_MODEL_CODER`, …), else the default. */
export function modelSpecFor(agent: AgentName, specs: ModelSpecs): string {
  return specs.perAgent[agent] ?? specs.default;
}

/** The model specs of the agents: a default and per-agent overrides. */
export interface ModelSpecs {
  readonly default: string;
  readonly perAgent: Partial<Record<AgentName, string>>;
}

/**
 * Every agent's model, resolved once at start-up so a bad spec stops the start. Agents with the
 * same spec share one instance — which matters for `script:`, whose `failTimes` counts attempts
 * in the instance: resolving per step would reset the count.
 */
export function resolveAgentModels(
  specs: ModelSpecs,
  settings: ModelSettings = {},
): Record<AgentName, LanguageModelV3> {
  const bySpec = new Map<string, LanguageModelV3>();
  const entries = Object.values(AgentName).map((agent) => {
    const spec = modelSpecFor(agent, specs);
    const model = bySpec.get(spec) ?? resolveModel(spec, settings);
    bySpec.set(spec, model);
    return [agent, model] as const;
  });
  return Object.fromEntries(entries) as Record<AgentName, LanguageModelV3>;
}
