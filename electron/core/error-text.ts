// How anything thrown reads in a detail line, a problem note or a report. One place, so the services and
// the scenarios say a failure the same way.

/** The message of anything thrown. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A failure as a person should read it: the cause, and the fix when the error carries one (the typed
 * errors of the core, the hosts and the backend have a `hint`).
 */
export function errorReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const { hint } = err as Error & { hint?: unknown };
  return typeof hint === 'string' && hint !== '' ? `${err.message.replace(/\.\s*$/, '')}. ${hint}` : err.message;
}
