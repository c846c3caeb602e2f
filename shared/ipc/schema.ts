// A small runtime schema for IPC payloads: every request crossing from the renderer is checked against
// its channel's schema before a handler sees it. Hand-written (no dependency), pure, shared by the
// router and by tests that generate payloads.

export type Schema<T> = {
  /** Returns the value typed, or throws SchemaError naming the path of the first problem. */
  parse(value: unknown, path?: string): T;
  /** A short description for error messages and docs. */
  readonly describe: string;
};

export type Infer<S> = S extends Schema<infer T> ? T : never;

export class SchemaError extends Error {
  override name = 'SchemaError';
}

const MAX_STRING = 64 * 1024;
/** Half of a UTF-16 surrogate pair on its own: no character, and encodeURIComponent throws on it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_ARRAY = 1000;

function fail(path: string, expected: string, value: unknown): never {
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  throw new SchemaError(`${path || 'payload'}: expected ${expected}, got ${got}`);
}

export function string(options: { min?: number; max?: number; pattern?: RegExp } = {}): Schema<string> {
  const max = options.max ?? MAX_STRING;
  return {
    describe: 'string',
    parse(value, path = '') {
      if (typeof value !== 'string') fail(path, 'a string', value);
      if (value.length < (options.min ?? 0)) throw new SchemaError(`${path}: must be at least ${options.min} characters`);
      if (value.length > max) throw new SchemaError(`${path}: must be at most ${max} characters`);
      if (LONE_SURROGATE.test(value)) throw new SchemaError(`${path}: must be well-formed text (it holds half of a surrogate pair)`);
      if (options.pattern && !options.pattern.test(value)) throw new SchemaError(`${path}: has an unexpected form`);
      return value;
    },
  };
}

export function number(options: { min?: number; max?: number; integer?: boolean } = {}): Schema<number> {
  return {
    describe: 'number',
    parse(value, path = '') {
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'a finite number', value);
      if (options.integer && !Number.isInteger(value)) throw new SchemaError(`${path}: must be a whole number`);
      if (options.min !== undefined && value < options.min) throw new SchemaError(`${path}: must be ${options.min} or more`);
      if (options.max !== undefined && value > options.max) throw new SchemaError(`${path}: must be ${options.max} or less`);
      return value;
    },
  };
}

export const boolean: Schema<boolean> = {
  describe: 'boolean',
  parse(value, path = '') {
    if (typeof value !== 'boolean') fail(path, 'true or false', value);
    return value;
  },
};

export function literal<const T extends string>(...values: T[]): Schema<T> {
  return {
    describe: values.map((v) => JSON.stringify(v)).join(' | '),
    parse(value, path = '') {
      if (typeof value !== 'string' || !(values as string[]).includes(value)) fail(path, `one of ${values.join(', ')}`, value);
      return value as T;
    },
  };
}

export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return {
    describe: `${inner.describe}?`,
    parse(value, path = '') {
      return value === undefined ? undefined : inner.parse(value, path);
    },
  };
}

export function array<T>(item: Schema<T>, max = MAX_ARRAY): Schema<T[]> {
  return {
    describe: `${item.describe}[]`,
    parse(value, path = '') {
      if (!Array.isArray(value)) fail(path, 'an array', value);
      if (value.length > max) throw new SchemaError(`${path}: at most ${max} items`);
      // An index loop, not value.map: map skips holes of a sparse array (they would reach the handler
      // unchecked) and could be an own property of a hostile array.
      const out: T[] = [];
      for (let i = 0; i < value.length; i++) out.push(item.parse(value[i], `${path}[${i}]`));
      return out;
    },
  };
}

type Shape = Record<string, Schema<unknown>>;
type ObjectOf<S extends Shape> = { [K in keyof S as undefined extends Infer<S[K]> ? never : K]: Infer<S[K]> } & {
  [K in keyof S as undefined extends Infer<S[K]> ? K : never]?: Infer<S[K]>;
};

/** A plain object with exactly these keys (unknown keys are refused: a payload carries nothing unchecked). */
export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  return {
    describe: `{ ${Object.keys(shape).join(', ')} }`,
    parse(value, path = '') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new SchemaError(`${path || 'payload'}: expected a plain object`);
      const input = value as Record<string, unknown>;
      for (const key of Object.keys(input)) {
        if (!Object.hasOwn(shape, key)) throw new SchemaError(`${path ? `${path}.` : ''}${key}: not expected here`);
      }
      const out: Record<string, unknown> = {};
      for (const [key, schema] of Object.entries(shape)) {
        const parsed = schema.parse(input[key], path ? `${path}.${key}` : key);
        if (parsed !== undefined) out[key] = parsed;
      }
      return out as ObjectOf<S>;
    },
  };
}

/** One of several object shapes, told apart by a `kind` field. */
export function union<const K extends string, S extends Record<K, Schema<object>>>(field: 'kind', variants: S): Schema<Infer<S[keyof S]>> {
  return {
    describe: Object.keys(variants).join(' | '),
    parse(value, path = '') {
      if (typeof value !== 'object' || value === null) fail(path, 'an object', value);
      const kind = (value as Record<string, unknown>)[field];
      if (typeof kind !== 'string' || !Object.hasOwn(variants, kind)) fail(`${path ? `${path}.` : ''}${field}`, `one of ${Object.keys(variants).join(', ')}`, kind);
      return variants[kind as K].parse(value, path) as Infer<S[keyof S]>;
    },
  };
}

export const empty = object({});
