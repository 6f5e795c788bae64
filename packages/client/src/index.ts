/** The typed client for IDE tooling, workspace tool executors and the CLI will live here. */
export {};
