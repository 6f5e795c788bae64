/** @baton/client — the typed client for IDE tooling, workspace tool executors and the CLI. */
export * from './tools';
export { createBatonClient } from './client';
export type { BatonClient, BatonClientOptions, BatonInputs, BatonOutputs } from './client';
export { runTask } from './run-task';
export type { ApprovalAnswer, ApprovalRequest, RunTaskOptions, TaskOutcome } from './run-task';
