/**
 * @baton/domain — Baton's behaviour as pure, deterministic code. It decides; the engine carries
 * out; the database remembers.
 */
export * from './agents';
export * from './context';
export * from './decide-tool-result';
export * from './events';
export * from './glob';
export * from './inputs';
export * from './json';
export * from './outcome';
export * from './payload-summary';
export * from './plan';
export * from './policy';
export * from './records';
export * from './state';
export * from './status';
export * from './subtask-context';
export * from './tools';
export { transition } from './transition';
export { describeBusy } from './on-session';
