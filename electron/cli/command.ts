// What every `usher` subcommand provides to the dispatcher.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';

export interface Command {
  name: string;
  summary: string;
  /** Full usage text shown by `usher help <name>` and `usher <name> --help`. */
  usage: string;
  run(argv: string[]): Promise<void>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** util.parseArgs with its errors turned into one readable UsageError. */
export function parseFlags<O extends Options>(argv: string[], options: O, command: string) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: false, strict: true });
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/^Unknown option/, 'unknown option');
    throw new UsageError(message, `see: usher help ${command}`);
  }
}
