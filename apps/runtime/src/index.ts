/** @baton/runtime — the tRPC server and the engine that carries out the domain's effects. */
export type { AppRouter } from './router';
export { appRouter } from './router';
export { startRuntime } from './server';
export type { Runtime } from './server';
export { readSettings } from './env';
export type { Settings } from './env';
