// What every `usher` subcommand provides to the dispatcher.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type * as v from 'valibot';
import { UsageError } from './errors';
import { flagInput } from './flag-schema';

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

/**
 * A command's flags read into its input: util.parseArgs for the words, then the command's valibot schema
 * (cli/flag-schema.ts) for their meaning. The input's type is the schema's output.
 */
export function parseCommand<O extends Options, S extends v.GenericSchema>(argv: string[], options: O, schema: S, command: string) {
  const { values } = parseFlags(argv, options, command);
  return flagInput(schema, values, command);
}
