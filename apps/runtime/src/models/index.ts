/**
 * Baton's model layer: one model step through the AI SDK, the model a spec names, and the
 * built-in `demo` and `script:` models.
 */
export { createDemoModel } from './demo-model';
export { ModelScriptError, ModelSpecError, ModelStepError } from './errors';
export { toModelPrompt } from './messages';
export type { ModelSettings, ModelSpecs } from './resolve-model';
export { modelSpecFor, resolveAgentModels, resolveModel } from './resolve-model';
export type { RetryPolicy, Sleep } from './retry';
export { defaultRetryPolicy } from './retry';
export type {
  ModelStepOptions,
  ModelStepRequest,
  ModelStepResult,
  ModelStepUsage,
} from './run-model-step';
export { DEFAULT_IDLE_TIMEOUT_MS, runModelStep } from './run-model-step';
export type { ModelScript } from './script-model';
export { SCRIPT_ENDED, createScriptModel, loadModelScript, parseModelScript } from './script-model';
