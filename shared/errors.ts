// The one base of every error a person may read: a code to branch on, a one-line message saying what
// happened, a hint saying what to do about it, and the cause it wraps. Each face renders any UsherError
// the same way: the CLI as one line plus a hint line (exit 2 for bad input, 1 otherwise,
// cli/main.ts), the console as an IpcError (electron/ipc/router.ts). Anything that is not an UsherError
// is unexpected and shown as such, never with its own message (it may carry paths or secrets).
// Pure: the core, the hosts, the simulator and the faces all import it.

export class UsherError<Code extends string = string> extends Error {
  override name = 'UsherError';
  readonly code: Code;
  /** What the person can do about it, in a Qlik administrator's terms; absent when nothing useful is known. */
  readonly hint: string | undefined;
  /** The person gave something unusable (a flag, a file they named, a site file): the CLI exits 2, not 1. */
  readonly badInput: boolean = false;

  constructor(code: Code, message: string, hint?: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = hint;
  }
}
