import type { RunModelStep } from './engine/ports';
import type { Settings } from './env';
import { resolveAgentModels, runModelStep } from './models';

/**
 * Wires the engine to the AI SDK: every agent's model is resolved once, at start (a bad spec or
 * a missing key stops the start with a message), and each step retries with backoff on
 * 429/5xx/timeouts `BATON_MODEL_RETRIES` times before it fails.
 */
export function createModelStepRunner(settings: Settings['models']): RunModelStep {
  const models = resolveAgentModels(settings, settings);
  const retry = { attempts: settings.retries + 1, baseDelayMs: 1000, maxDelayMs: 8000 };
  return (request) => runModelStep(models[request.agent], { ...request, retry });
}
