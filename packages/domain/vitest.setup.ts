import fc from 'fast-check';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** FC_NUM_RUNS (default 1000) and, only when given, FC_SEED — read in vitest.config.ts. */
    fastCheck: { numRuns: number; seed?: number };
  }
}

// On failure fast-check reports the seed and the shrunk counterexample; rerun with FC_SEED=<seed>.
fc.configureGlobal(inject('fastCheck'));
