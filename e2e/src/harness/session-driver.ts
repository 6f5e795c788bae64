/**
 * The scenarios that restart runtimes, spread requests over replicas and drop subscriptions need
 * more than the plain recorder: a stream that can be resumed elsewhere (stream.ts), a client
 * that answers whatever the runtime asks for on its own (driver.ts), the plan they run
 * (plan-script.ts), and an audit that everything happened exactly once (audit.ts).
 */
export * from './audit';
export * from './driver';
export * from './plan-script';
export * from './stream';
