// A command's flags read into its input by one valibot schema, the house's schema library (shared/schema.ts):
// util.parseArgs splits argv into strings and booleans, the command's schema turns those into the typed
// input of the operation it calls (a user, a number of milliseconds, a format, a scope), and the input's
// type is derived from the schema. Each flag's reading throws a UsageError naming the flag, the cause
// and the fix: valibot runs transforms without catching, so that error reaches the CLI's one rendering
// (cli/errors.ts, exit 2) with its hint, which an issue message alone could not carry.
import * as v from 'valibot';
import { parseUser, userProblem, type UserRef } from '../../shared/user';
import { UsageError } from './errors';

/** A flag's text read by `read` (which throws a UsageError when it cannot be read); absent stays absent. */
export function readFlag<T>(read: (text: string) => T) {
  return v.optional(v.pipe(v.string(), v.transform(read)));
}

/**
 * A flag the command cannot run without: `message` (with `hint`) when it is absent or empty, else read
 * by `read`. (The default '' keeps the key required in the derived type, which an absent default would not.)
 */
export function requiredFlag<T>(read: (text: string) => T, message: string, hint?: string) {
  return v.pipe(
    v.optional(v.string(), ''),
    v.transform((text) => {
      if (text === '') throw new UsageError(message, hint);
      return read(text);
    }),
  );
}

/** A flag given but empty is a mistake (a shell variable that was not set): `--NAME is empty`. */
export function nonEmptyFlag(flag: string, hint: string) {
  return readFlag((text) => {
    if (text.trim() === '') throw new UsageError(`--${flag} is empty`, hint);
    return text;
  });
}

/** A boolean flag: false when absent. */
export const switchFlag = v.optional(v.boolean(), false);

/** A repeatable string flag: empty when absent. */
export const repeatedFlag = v.optional(v.array(v.string()), () => []);

/** `--attr KEY=VALUE ...` read as Qlik's attributes: keys may repeat, values may be empty (`Flag=`). */
export function parseAttributes(values: string[] | undefined): Array<Record<string, string>> {
  return (values ?? []).map((text) => {
    const eq = text.indexOf('=');
    const hint = 'write --attr Group=Sales (or --attr Flag= for an empty value)';
    if (eq < 0) throw new UsageError(`--attr "${text}" has no "="`, hint);
    const key = text.slice(0, eq).trim();
    if (!key) throw new UsageError(`--attr "${text}" has no key`, hint);
    return { [key]: text.slice(eq + 1) };
  });
}

/** The repeatable `--attr KEY=VALUE`: none when absent. */
export const attributesFlag = v.pipe(
  repeatedFlag,
  v.transform((texts: string[]) => parseAttributes(texts)),
);

/** A whole-number flag from `min` to `max`, decimal digits only (Number() also takes '', '0x10', '1e3' and 'Infinity'). */
export function wholeNumberFlag(flag: string, min: number, max: number) {
  return readFlag((text) => {
    const n = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
    return n;
  });
}

/** `--format`: one of the command's output formats, the first when absent. */
export function formatFlag<const F extends readonly [string, ...string[]]>(formats: F) {
  return v.optional(
    v.pipe(
      v.string(),
      v.transform((text): F[number] => {
        if (!(formats as readonly string[]).includes(text)) throw new UsageError(`--format must be one of ${formats.join(', ')}, not "${text}"`);
        return text;
      }),
    ),
    formats[0],
  );
}

/** A `DIR\ID` flag (`DIR/ID` too, easier in shells), read as Qlik's user reference. */
export function readUser(flag: string, text: string, example = 'MYDOMAIN\\alice'): UserRef {
  const user = parseUser(text);
  if (!user) throw new UsageError(`--${flag} "${text}" is not DIRECTORY\\ID`, `for example --${flag} "${example}" (or ${example.replace('\\', '/')})`);
  const problem = userProblem(user);
  if (problem) throw new UsageError(`--${flag}: ${problem}`, 'Qlik user directories and ids are printable text');
  return user;
}

export function userFlag(flag: string, example?: string) {
  return readFlag((text) => readUser(flag, text, example));
}

/**
 * The command's input from the flags parseArgs gave: `schema` over the values. A shape the schema
 * refuses (which parseArgs' own option types already rule out) is still bad input, said with the flag.
 */
export function flagInput<S extends v.GenericSchema>(schema: S, values: unknown, command: string): v.InferOutput<S> {
  const result = v.safeParse(schema, values, { abortEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  const flag = issue.path?.map((p) => String((p as { key: unknown }).key)).join('.') ?? '';
  throw new UsageError(`${flag ? `--${flag}: ` : ''}${issue.message}`, `see: usher help ${command}`);
}
