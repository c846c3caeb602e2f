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

export type Schema = v.GenericSchema;
export type Infer<S extends Schema> = v.InferOutput<S>;

const MAX_TEXT = 64 * 1024;
const MAX_ITEMS = 1000;
/** Half of a UTF-16 surrogate pair on its own: no character, and encodeURIComponent throws on it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A value's kind for "expected X, got Y": never the value itself (it may be a secret or huge). */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** Object.prototype or no prototype: not a class instance, Map, Date, proxy posing as an array... */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export class SchemaError extends Error {
  override name = 'SchemaError';
  /** `scope.userId`, `attributes[2].value`; '' for the value as a whole. */
  readonly path: string;
  /** What is wrong there, without the path: "must be at most 100 characters". */
  readonly problem: string;
  constructor(path: string, problem: string) {
    super(`${path || 'payload'}: ${problem}`);
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

function problemOf(issue: v.BaseIssue<unknown>): string {
  if (issue.kind !== 'schema') return issue.message; // every validation below has a message of its own
  if (issue.type === 'strict_object') return issue.expected === 'never' ? 'not expected here' : 'is missing';
  if (issue.type === 'custom') return `expected ${issue.message}, got ${kindOf(issue.input)}`;
  return `expected ${issue.expected ?? 'something else'}, got ${kindOf(issue.input)}`;
}

/** The first problem with `value`, or null when it fits. For faces that map paths to their own words. */
export function firstProblem<S extends Schema>(schema: S, value: unknown): { ok: true; value: Infer<S> } | { ok: false; error: SchemaError } {
  let result: v.SafeParseResult<S>;
  try {
    result = v.safeParse(schema, value, { abortEarly: true });
  } catch {
    // A throwing getter or proxy trap in the input: nothing in it can be trusted.
    return { ok: false, error: new SchemaError('', 'could not be read') };
  }
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  return { ok: false, error: new SchemaError(pathOf(issue), problemOf(issue)) };
}

/** The value, typed and copied (never the caller's objects), or a SchemaError naming the path. */
export function parse<S extends Schema>(schema: S, value: unknown): Infer<S> {
  const result = firstProblem(schema, value);
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
    v.string(),
    v.minLength(min, `must be at least ${min} characters`),
    v.maxLength(Math.min(max, MAX_TEXT), `must be at most ${Math.min(max, MAX_TEXT)} characters`),
    v.check((s) => !LONE_SURROGATE.test(s), 'must be well-formed text (it holds half of a surrogate pair)'),
    v.check((s) => !pattern || pattern.test(s), 'has an unexpected form'),
  );
}

export function number(options: { min?: number; max?: number; integer?: boolean } = {}) {
  const { min, max, integer = false } = options;
  return v.pipe(
    v.number(),
    v.check((n) => Number.isFinite(n), 'must be a finite number'),
    v.check((n) => !integer || Number.isInteger(n), 'must be a whole number'),
    v.check((n) => min === undefined || n >= min, `must be ${min} or more`),
    v.check((n) => max === undefined || n <= max, `must be ${max} or less`),
  );
}

export const boolean = v.boolean();

/** One of these strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(...values: T) {
  return v.picklist(values);
}

export const optional = v.optional;

/** At most `max` items, counted before any item is read (a million-slot array costs nothing). */
export function list<S extends Schema>(item: S, max = MAX_ITEMS) {
  return v.pipe(
    v.custom<unknown[]>((value) => Array.isArray(value), 'an array'),
    v.check((value) => value.length <= Math.min(max, MAX_ITEMS), `at most ${Math.min(max, MAX_ITEMS)} items`),
    // valibot reads by index (holes are read as undefined and refused, an own `map` is never called).
    v.array(item),
  );
}

/** Optional keys that were present but undefined are dropped: the output holds no undefined leaf. */
function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value)) if ((value as Record<string, unknown>)[key] === undefined) delete (value as Record<string, unknown>)[key];
  return value;
}

const plainObject = v.custom<Record<string, unknown>>(isPlainObject, 'a plain object');

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
  const variant = v.variant(key, options);
  type Plain = Record<string, unknown>;
  // valibot's pipe typing cannot follow generic variants: the pipe is typed as plain objects inside, and
  // the result carries the variants' output type (what Infer reads).
  const schema = v.pipe(plainObject, variant as unknown as v.GenericSchema<Plain, Plain>, v.transform(withoutUndefined));
  return schema as unknown as v.GenericSchema<unknown, v.InferOutput<typeof variant>>;
}

export const literal = v.literal;
export const empty = record({});
