// The one validation style for data crossing a boundary (IPC payloads, profile files, site files, audit
// lines, CLI input): valibot schemas built with the helpers below, types derived with `Infer`, and one
// `parse` that throws a SchemaError naming the path of the first problem. Why valibot and not zod:
// bench/schema-libraries.ts (a fraction of the renderer bundle, as fast, no `new Function` under the
// console's CSP).
//
// The helpers carry the house limits so that no schema can forget them: text is at most 64 KiB and
// well-formed (no half of a surrogate pair: encodeURIComponent throws on it), lists hold at most 1000
// items and their length is checked before any item, objects are plain (Object.prototype or null) with
// exactly the listed keys, numbers are finite. Messages name the path and the expectation, never the value.
// Pure: no node:*, no DOM, so main, the CLI, the simulator and the renderer share it.
import * as v from 'valibot';
import { UsherError } from './errors';

export type Schema = v.GenericSchema;
export type Infer<S extends Schema> = v.InferOutput<S>;

const MAX_TEXT = 64 * 1024;
const MAX_ITEMS = 1000;
/** Half of a UTF-16 surrogate pair on its own: no character, and encodeURIComponent throws on it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A value's kind for "must be X, got Y": never the value itself (it may be a secret or huge). */
export function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? `a ${typeof value}` : typeof value;
}

/** The message of a schema whose type does not fit: "must be a string, got a number". */
export function mustBe(what: string): (issue: v.BaseIssue<unknown>) => string {
  return (issue) => `must be ${what}, got ${kindOf(issue.input)}`;
}

/** Object.prototype or no prototype: not a class instance, Map, Date, proxy posing as an array... */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Input that does not fit its schema: bad input wherever it came from (the CLI exits 2). */
export class SchemaError extends UsherError<'INVALID_INPUT'> {
  override name = 'SchemaError';
  override readonly badInput = true;
  /** `scope.userId`, `attributes[2].value`; '' for the value as a whole. */
  readonly path: string;
  /** What is wrong there, without the path: "must be at most 100 characters". */
  readonly problem: string;
  constructor(path: string, problem: string, root = 'payload') {
    super('INVALID_INPUT', `${path || root}: ${problem}`);
    this.path = path;
    this.problem = problem;
  }
}

function pathOf(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key;
    out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  }
  return out;
}

// Every schema built here words its own problems (mustBe and the validations' messages); valibot's own
// words are used for nothing but the keys of an object, which it reports itself.
function problemOf(issue: v.BaseIssue<unknown>): string {
  const objectKey = (issue.type === 'strict_object' || issue.type === 'object') && issue.expected !== 'Object';
  if (objectKey) return issue.expected === 'never' ? 'not expected here' : 'is missing';
  return issue.message;
}

type Checked<S extends Schema, E> = { ok: true; value: Infer<S> } | { ok: false; error: E };

function check<S extends Schema>(schema: S, value: unknown, root: string, config: v.Config<v.InferIssue<S>>): Checked<S, SchemaError[]> {
  let result: v.SafeParseResult<S>;
  try {
    result = v.safeParse(schema, value, config);
  } catch {
    // A throwing getter or proxy trap in the input: nothing in it can be trusted.
    return { ok: false, error: [new SchemaError('', 'could not be read', root)] };
  }
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, error: result.issues.map((issue) => new SchemaError(pathOf(issue), problemOf(issue), root)) };
}

/**
 * The value, or the first problem with it. For faces that map paths to their own words. `root` names the
 * value as a whole in messages ("payload", "profile", "the site file").
 */
export function firstProblem<S extends Schema>(schema: S, value: unknown, root?: string): Checked<S, SchemaError> {
  const result = check(schema, value, root ?? 'payload', { abortEarly: true });
  return result.ok ? result : { ok: false, error: result.error[0]! };
}

/** The value, or every problem with it (one per field), in the order of the schema: for files a person edits. */
export function allProblems<S extends Schema>(schema: S, value: unknown, root?: string): Checked<S, SchemaError[]> {
  return check(schema, value, root ?? 'payload', { abortPipeEarly: true });
}

/** The value, typed and copied (never the caller's objects), or a SchemaError naming the path. */
export function parse<S extends Schema>(schema: S, value: unknown, root?: string): Infer<S> {
  const result = firstProblem(schema, value, root);
  if (!result.ok) throw result.error;
  return result.value;
}

export function is<S extends Schema>(schema: S, value: unknown): value is Infer<S> {
  return firstProblem(schema, value).ok;
}

// ---------------------------------------------------------------------------------------------------
// Building blocks. Length limits come before patterns, so a 5 MB string never reaches a regex.

export function text(options: { min?: number; max?: number; pattern?: RegExp } = {}) {
  const { min = 0, max = MAX_TEXT, pattern } = options;
  return v.pipe(
    v.string(mustBe('a string')),
    v.minLength(min, `must be at least ${min} characters`),
    v.maxLength(Math.min(max, MAX_TEXT), `must be at most ${Math.min(max, MAX_TEXT)} characters`),
    v.check((s) => !LONE_SURROGATE.test(s), 'must be well-formed text (it holds half of a surrogate pair)'),
    v.check((s) => !pattern || pattern.test(s), 'has an unexpected form'),
  );
}

export function number(options: { min?: number; max?: number; integer?: boolean } = {}) {
  const { min, max, integer = false } = options;
  return v.pipe(
    v.number(mustBe('a number')),
    v.check((n) => Number.isFinite(n), 'must be a finite number'),
    v.check((n) => !integer || Number.isInteger(n), 'must be a whole number'),
    v.check((n) => min === undefined || n >= min, `must be ${min} or more`),
    v.check((n) => max === undefined || n <= max, `must be ${max} or less`),
  );
}

export const boolean = v.boolean(mustBe('true or false'));

/** One of these strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(...values: T) {
  return v.picklist(values, mustBe(`one of ${values.join(', ')}`));
}

export const optional = v.optional;

/**
 * At most `max` items (1000 unless a file is allowed more), counted before any item is read: a
 * million-slot array costs nothing.
 */
export function list<S extends Schema>(item: S, max = MAX_ITEMS) {
  return v.pipe(
    v.custom<unknown[]>((value) => Array.isArray(value), mustBe('an array')),
    v.check(
      (value) => value.length <= max,
      (issue) => `holds ${issue.input.length} items; at most ${max} are allowed`,
    ),
    // valibot reads by index (holes are read as undefined and refused, an own `map` is never called).
    v.array(item),
  );
}

/** Optional keys that were present but undefined are dropped: the output holds no undefined leaf. */
function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value)) if ((value as Record<string, unknown>)[key] === undefined) delete (value as Record<string, unknown>)[key];
  return value;
}

/** Any plain object, its keys unread (the caller reads them with a schema of its own). */
export const plainObject = v.custom<Record<string, unknown>>(isPlainObject, mustBe('an object'));

/** A plain object with exactly these keys (unknown keys are refused: a payload carries nothing unchecked). */
export function record<E extends v.ObjectEntries>(entries: E) {
  return v.pipe(plainObject, v.strictObject(entries), v.transform(withoutUndefined));
}

/** A plain object with these keys and others it may carry (files written by a newer Usher, QRS answers). */
export function looseRecord<E extends v.ObjectEntries>(entries: E) {
  return v.pipe(plainObject, v.object(entries), v.transform(withoutUndefined));
}

type Variants<K extends string> = Record<string, v.ObjectEntries & Record<K, v.GenericSchema>>;
type VariantOptions<V extends Variants<string>> = { [N in keyof V]: v.StrictObjectSchema<V[N], undefined> }[keyof V];

/** One of several object shapes told apart by the field `key` (a literal in each shape). */
export function union<const K extends string, const V extends Variants<K>>(key: K, variants: V) {
  const options = Object.values(variants).map((entries) => v.strictObject(entries)) as Array<VariantOptions<V>>;
  const variant = v.variant(key, options, (issue) => `must be one of ${Object.keys(variants).join(', ')}, got ${kindOf(issue.input)}`);
  type Plain = Record<string, unknown>;
  // valibot's pipe typing cannot follow generic variants: the pipe is typed as plain objects inside, and
  // the result carries the variants' output type (what Infer reads).
  const schema = v.pipe(plainObject, variant as unknown as v.GenericSchema<Plain, Plain>, v.transform(withoutUndefined));
  return schema as unknown as v.GenericSchema<unknown, v.InferOutput<typeof variant>>;
}

export function literal<const T extends string>(value: T) {
  return v.literal(value, mustBe(JSON.stringify(value)));
}
export const empty = record({});
