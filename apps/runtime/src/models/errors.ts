/**
 * The model layer's unexpected outcomes. The engine turns a {@link ModelStepError} into a failed
 * step (SPEC §3.3.6); a {@link ModelSpecError} stops the runtime at start-up.
 */

/** A model step that failed for good: a non-retryable error, or retries ran out. */
export class ModelStepError extends Error {
  override readonly name = 'ModelStepError';
  constructor(
    message: string,
    /** How many attempts were made, the failing one included. */
    readonly attempts: number,
    /** The HTTP status of the last failure, when the provider answered with one. */
    readonly statusCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A model spec (`BATON_MODEL…`) that names no usable model, or lacks a setting it needs. */
export class ModelSpecError extends Error {
  override readonly name = 'ModelSpecError';
}

/** A `script:` file that cannot be read or does not follow the script format. */
export class ModelScriptError extends Error {
  override readonly name = 'ModelScriptError';
}
