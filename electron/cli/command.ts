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

/** util.parseArgs with its errors turned into one readable UsageError; positionals only when the command takes them. */
export function parseFlags<O extends Options>(argv: string[], options: O, command: string, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (err) {
    // Node's texts run over several lines and end in advice for JavaScript callers: keep one line of them.
    const message = (err as Error).message
      .replace(/\. To specify a positional argument.*$/s, '')
      .replace(/\s*To specify an option argument starting with a dash.*$/s, '')
      .replace(/\s*\n\s*/g, ' ')
      .replace(/^Unknown option/, 'unknown option');
    throw new UsageError(message, `see: usher help ${command}`);
  }
}

/** `--format`: one of the command's output formats, the first by default. */
export function parseFormat<F extends string>(value: string | undefined, formats: readonly [F, ...F[]]): F {
  const format = value ?? formats[0];
  if (!(formats as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${formats.join(', ')}, not "${format}"`);
  return format as F;
}
