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

/** The CancelledError of an aborted signal: the one its canceller gave ('Cancelled by Ctrl-C'), else a plain one. */
export function cancellationOf(signal: AbortSignal): CancelledError {
  const reason: unknown = signal.reason;
  return reason instanceof CancelledError ? reason : new CancelledError();
}

/** Throws cancellationOf(signal) when the signal was aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancellationOf(signal);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
