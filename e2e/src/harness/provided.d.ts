declare module 'vitest' {
  export interface ProvidedContext {
    /** DATABASE_URL, read in vitest.config.ts: when set, scenarios also run on PostgreSQL. */
    databaseUrl: string | null;
    /** The sizes and seeds of the storms and the input fuzz (BATON_PROOF_SCALE and the rest). */
    proof: ProofSize;
  }
}

/** How big the storms of issue 6 are, and the seed of their random moments. */
export interface ProofSize {
  readonly scale: 'ci' | 'full';
  /** Seeds every random choice of the storms; printed when one fails, so it can be replayed. */
  readonly seed: number;
  /**
   * Plans run at once, how many times the runtime is SIGKILLed and restarted meanwhile, and
   * whether on every backend (PGlite and PostgreSQL) or the last one only.
   */
  readonly crash: {
    readonly plans: number;
    readonly kills: number;
    readonly everyBackend: boolean;
  };
  readonly replicas: {
    /** Runtime processes on the one PostgreSQL. */
    readonly replicas: number;
    /** Sessions in the duplicate storm, and the identical submissions of each of their results. */
    readonly stormSessions: number;
    readonly copies: number;
    /** Plans driven over the replicas at once; each input is sent 1..maxCopies times. */
    readonly plans: number;
    readonly maxCopies: number;
  };
  /** The input fuzz: runs per property (BATON_FUZZ_RUNS overrides), on every backend or one. */
  readonly fuzz: {
    readonly runs: number;
    readonly everyBackend: boolean;
    /** FC_SEED: replays a fuzz failure (fast-check prints the seed). */
    readonly seed: number | null;
  };
}
