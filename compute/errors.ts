/**
 * An error caused by the user's input (a bad argument, file, column or field). Its message is
 * shown as it is, so it must name the thing that is wrong and say what to do.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** Thrown when the user cancels a run; callers clean up and report "cancelled", not a failure. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(message = 'Cancelled') {
    super(message);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
