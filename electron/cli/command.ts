// What every `usher` subcommand provides to the dispatcher.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseUser, userProblem, type UserRef } from '../../shared/user';
import { UsageError } from './errors';

/** A subcommand's module exports one of these; its name and one-line summary live in commands/index.ts. */
export interface Command {
  /** Full usage text shown by `usher help <name>` and `usher <name> --help`. */
  usage: string;
  run(argv: string[]): Promise<void>;
}

/**
 * An entry of the command list: enough to print the overview and to find a command, and a loader so that
 * a command's module (and undici, node-forge, the simulator or the keyring behind it) is loaded only
 * when that command runs.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
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

/** A whole-number flag from `min` to `max`; undefined when absent. */
export function parseWholeNumber(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  // Decimal digits only: Number() also takes '', ' ', '0x10', '1e3' and 'Infinity'.
  const n = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** A `DIR\\ID` flag (`DIR/ID` too, easier in shells). */
export function parseUserFlag(flag: string, value: string, example = 'MYDOMAIN\\alice'): UserRef {
  const user = parseUser(value);
  if (!user) throw new UsageError(`--${flag} "${value}" is not DIRECTORY\\ID`, `for example --${flag} "${example}" (or ${example.replace('\\', '/')})`);
  const problem = userProblem(user);
  if (problem) throw new UsageError(`--${flag}: ${problem}`, 'Qlik user directories and ids are printable text');
  return user;
}
