/**
 * @baton/db — everything Baton remembers, on PostgreSQL or embedded PGlite, and the concurrency
 * control that makes the domain's guarantees hold across processes and replicas. The domain
 * decides; this package commits its decisions atomically and fans out the events.
 */
export * from './client';
export * from './errors';
export * from './event-id';
export { newId, sha256Hex } from './ids';
export type { RecordKind } from './ids';
export { migrate, MIGRATIONS_FOLDER } from './migrate';
export * as schema from './schema';
export { TokenRole } from './schema';
export * from './repo/apply-input';
export { findExpiredApprovals } from './repo/approvals';
export { CONTEXT_CACHE_LIMITS, createContextCache } from './repo/context-cache';
export type { ContextCache, ContextCacheLimits } from './repo/context-cache';
export type { KeysetPosition, Page } from './repo/cursor';
export { listDecisions } from './repo/decisions';
export type { DecisionFilter } from './repo/decisions';
export * from './repo/event-stream';
export { latestEventId } from './repo/event-tail';
export { EVENTS_CHANNEL, readAllEvents, readSessionEvents, subscribeEvents } from './repo/events';
export type { EventPage } from './repo/events';
export {
  LEASES_CHANNEL,
  claimLease,
  findExpiredLeases,
  releaseLease,
  renewLease,
  subscribeLeaseReleases,
} from './repo/leases';
export type { Lease } from './repo/leases';
export { listContextMessages } from './repo/messages';
export { getPlan } from './repo/plans';
export * from './repo/session-views';
export { canSee, createSession } from './repo/sessions';
export type { Access, NewSession, StoredSession } from './repo/sessions';
export * from './repo/stats';
export { appendStepText } from './repo/step-text';
export * from './repo/tokens';
export { loadWorkingSet } from './repo/working-set';
