/**
 * Failure policy, in one place.
 *
 * - InputError: the user's data or configuration is wrong. The run stops with a message that
 *   names the file, label or option and says what to do. Exit code 2.
 * - TrainingError: training itself failed (e.g. every candidate crashed). Exit code 3.
 * - Anything else is a bug: the CLI prints it with a request to report it. Exit code 1.
 *
 * Service trouble in the adapters (cache, artifact upload, PR comment) is never an error
 * here: the adapters turn it into a warning and carry on.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly exitCode = 2;
  constructor(
    message: string,
    /** The file (relative to the dataset root) or option the message is about, if any. */
    readonly subject?: string,
  ) {
    super(message);
  }
}

export class TrainingError extends Error {
  override readonly name = 'TrainingError';
  readonly exitCode = 3;
}

export function isUserFacingError(error: unknown): error is InputError | TrainingError {
  return error instanceof InputError || error instanceof TrainingError;
}
