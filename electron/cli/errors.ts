// Errors the CLI reports as one line (plus a hint), never as a stack trace.

/** A problem with what the user typed or pointed at: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

/** A step or check that ran and did not behave: exit code 1. The hint says what to do, when known. */
export class CommandFailed extends Error {
  override name = 'CommandFailed';
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}
