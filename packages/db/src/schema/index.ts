/** Every table of Baton's database, as one drizzle schema. */
export * from './approvals';
export * from './decisions';
export * from './events';
export * from './leases';
export * from './messages';
export * from './plans';
export * from './sessions';
export * from './tokens';
export * from './tool-calls';
