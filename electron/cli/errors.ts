// Errors the CLI reports as one line (plus a hint), never as a stack trace.
import { UsherError } from '../../shared/errors';
import { TERMINAL_LINE_MAX, terminalValue } from '../../shared/terminal-text';

/** A problem with what the user typed or pointed at: exit code 2. */
export class UsageError extends UsherError<'USAGE'> {
  override name = 'UsageError';
  override readonly badInput = true;
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super('USAGE', message, hint, options);
  }
}

/** A step or check that ran and did not behave: exit code 1. The hint says what to do, when known. */
export class CommandFailed extends UsherError<'COMMAND_FAILED'> {
  override name = 'CommandFailed';
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super('COMMAND_FAILED', message, hint, options);
  }
}

/**
 * The CLI's rendering of any failure: `usher: message` and `  hint: ...`, each one escaped line, and the
 * exit code (2 bad input, 1 ran and failed). An UsherError of any layer renders the same way; anything
 * else is unexpected.
 */
export function failureReport(err: unknown): { lines: string[]; exitCode: 1 | 2; unexpected: boolean } {
  const render = (message: string, hint: string | undefined): string[] => [
    `usher: ${terminalValue(message, TERMINAL_LINE_MAX)}`,
    ...(hint ? [`  hint: ${terminalValue(hint, TERMINAL_LINE_MAX)}`] : []),
  ];
  if (err instanceof UsherError) return { lines: render(err.message, err.hint), exitCode: err.badInput ? 2 : 1, unexpected: false };
  const message = `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  return { lines: render(message, 'rerun with USHER_DEBUG=1 for details, and report it'), exitCode: 1, unexpected: true };
}
