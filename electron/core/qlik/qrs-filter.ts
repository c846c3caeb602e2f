// The Qlik Repository Service's `filter` and `orderby` query languages (Qlik help: "RepositoryServiceAPI
// Filtering"), written once: the simulated QRS parses and evaluates them, Usher's QRS client builds them.
//
//   filter  := or
//   or      := and ('or' and)*
//   and     := unary ('and' unary)*
//   unary   := 'not' unary | '(' or ')' | path op value
//   path    := name ('.' name)*           property names match without regard to case
//   op      := eq ne gt ge lt le sw ew so   (any case)
//   value   := 'quoted, with '' for a quote' | GUID | number | true | false | null | bare word (an enum name,
//              read as its number where the caller names the property's enum values)
//
// Strings compare without regard to case. A path that crosses a list (`tags.name`) holds when any element
// matches. What Qlik refuses - a malformed filter, an unknown property, `sw` on a number - throws
// QrsFilterError, which the QRS answers with 400.

export class QrsFilterError extends Error {
  override name = 'QrsFilterError';
}

export type QrsOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'sw' | 'ew' | 'so';

export type QrsLiteral =
  | { kind: 'string'; value: string }
  | { kind: 'guid'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'word'; value: string };

export type QrsFilter =
  | { kind: 'and' | 'or'; left: QrsFilter; right: QrsFilter }
  | { kind: 'not'; operand: QrsFilter }
  | { kind: 'compare'; path: string[]; op: QrsOperator; value: QrsLiteral };

const OPERATORS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'ew', 'so']);
const STRING_ONLY = new Set<QrsOperator>(['sw', 'ew', 'so']);
const ORDERING = new Set<QrsOperator>(['gt', 'ge', 'lt', 'le']);
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME = /^[A-Za-z_@][A-Za-z0-9_]*$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

interface Token {
  kind: 'word' | 'string' | '(' | ')';
  text: string;
  at: number;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c, text: c, at: i });
      i++;
    } else if (c === "'") {
      const start = i;
      let text = '';
      i++;
      for (;;) {
        if (i >= input.length) throw new QrsFilterError(`the quoted value starting at position ${start + 1} is not closed with '`);
        if (input[i] === "'") {
          if (input[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += input[i];
        i++;
      }
      tokens.push({ kind: 'string', text, at: start });
    } else {
      const start = i;
      while (i < input.length && !/[\s()']/.test(input[i]!)) i++;
      tokens.push({ kind: 'word', text: input.slice(start, i), at: start });
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t?.kind === 'word' && t.text.toLowerCase() === word;
  }

  private where(token: Token | undefined): string {
    return token ? `"${token.text}" at position ${token.at + 1}` : 'the end of the filter';
  }

  parse(): QrsFilter {
    const filter = this.or();
    const rest = this.peek();
    if (rest) throw new QrsFilterError(`expected "and", "or" or the end of the filter, found ${this.where(rest)}`);
    return filter;
  }

  private or(): QrsFilter {
    return this.joined('or', () => this.and());
  }

  private and(): QrsFilter {
    return this.joined('and', () => this.unary());
  }

  /** `operand (word operand)*`, folded to the left. */
  private joined(word: 'and' | 'or', operand: () => QrsFilter): QrsFilter {
    let left = operand();
    while (this.isKeyword(word)) {
      this.pos++;
      left = { kind: word, left, right: operand() };
    }
    return left;
  }

  private unary(): QrsFilter {
    const t = this.peek();
    if (this.isKeyword('not')) {
      this.pos++;
      return { kind: 'not', operand: this.unary() };
    }
    if (t?.kind === '(') {
      this.pos++;
      const inner = this.or();
      const close = this.peek();
      if (close?.kind !== ')') throw new QrsFilterError(`expected ")" to close the "(" at position ${t.at + 1}, found ${this.where(close)}`);
      this.pos++;
      return inner;
    }
    return this.comparison();
  }

  private comparison(): QrsFilter {
    const prop = this.peek();
    const keyword = prop?.kind === 'word' && ['and', 'or', 'not'].includes(prop.text.toLowerCase());
    if (prop?.kind !== 'word' || keyword) throw new QrsFilterError(`expected a property name, found ${this.where(prop)}`);
    const path = prop.text.split('.');
    if (!path.every((part) => NAME.test(part))) throw new QrsFilterError(`"${prop.text}" at position ${prop.at + 1} is not a property name`);
    this.pos++;
    const opToken = this.peek();
    const op = opToken?.kind === 'word' ? opToken.text.toLowerCase() : '';
    if (!OPERATORS.has(op)) {
      throw new QrsFilterError(`expected an operator (eq ne gt ge lt le sw ew so) after "${prop.text}", found ${this.where(opToken)}`);
    }
    this.pos++;
    const value = this.literal();
    if (STRING_ONLY.has(op as QrsOperator) && value.kind !== 'string') {
      throw new QrsFilterError(`"${op}" compares strings: quote the value after "${prop.text} ${op}"`);
    }
    return { kind: 'compare', path, op: op as QrsOperator, value };
  }

  private literal(): QrsLiteral {
    const t = this.peek();
    if (!t || t.kind === '(' || t.kind === ')') throw new QrsFilterError(`expected a value, found ${this.where(t)}`);
    this.pos++;
    if (t.kind === 'string') return { kind: 'string', value: t.text };
    const lower = t.text.toLowerCase();
    if (lower === 'null') return { kind: 'null' };
    if (lower === 'true' || lower === 'false') return { kind: 'boolean', value: lower === 'true' };
    if (GUID_PATTERN.test(t.text)) return { kind: 'guid', value: lower };
    if (NUMBER.test(t.text)) return { kind: 'number', value: Number(t.text) };
    if (NAME.test(t.text) && !OPERATORS.has(lower) && lower !== 'and' && lower !== 'or' && lower !== 'not') return { kind: 'word', value: t.text };
    throw new QrsFilterError(`${this.where(t)} is not a value: quote strings with ' (and double a ' inside them)`);
  }
}

/** Parses a `filter` query parameter; throws QrsFilterError naming what is wrong and where. */
export function parseQrsFilter(text: string): QrsFilter {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new QrsFilterError('the filter is empty');
  return new Parser(tokens).parse();
}

// --- evaluation --------------------------------------------------------------------------------------

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The values at `path` in `entity`; lists fan out. An unknown property is Qlik's 400. */
function valuesAt(entity: Json, path: string[], full: string): Json[] {
  let current: Json[] = [entity];
  for (const part of path) {
    const next: Json[] = [];
    const wanted = part.toLowerCase();
    for (const value of current.flatMap((v) => (Array.isArray(v) ? v : [v]))) {
      if (value === null || value === undefined) {
        next.push(null);
        continue;
      }
      if (!isRecord(value)) throw new QrsFilterError(`"${full}": "${part}" is not a property of a ${typeof value}`);
      const key = Object.keys(value).find((k) => k.toLowerCase() === wanted);
      if (key === undefined) throw new QrsFilterError(`"${full}": this entity has no property "${part}"`);
      next.push(value[key]);
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}/;

/** -1, 0, 1, or undefined when the two cannot be ordered. */
function compareValues(actual: Json, literal: QrsLiteral): number | undefined {
  if (literal.kind === 'null') return actual === null || actual === undefined ? 0 : undefined;
  if (actual === null || actual === undefined) return undefined;
  if (literal.kind === 'number' && typeof actual === 'number') return Math.sign(actual - literal.value);
  if (literal.kind === 'boolean' && typeof actual === 'boolean') return actual === literal.value ? 0 : undefined;
  if (typeof actual !== 'string') return undefined;
  const text = literal.kind === 'string' || literal.kind === 'guid' || literal.kind === 'word' ? literal.value : undefined;
  if (text === undefined) return undefined;
  if (DATE_PREFIX.test(actual) && DATE_PREFIX.test(text)) {
    const a = Date.parse(actual);
    const b = Date.parse(text.includes('T') || text.endsWith('Z') ? text : `${text.replace(' ', 'T')}Z`);
    if (!Number.isNaN(a) && !Number.isNaN(b)) return Math.sign(a - b);
  }
  const a = actual.toLowerCase();
  const b = text.toLowerCase();
  return a === b ? 0 : a < b ? -1 : 1;
}

function holds(actual: Json, op: QrsOperator, literal: QrsLiteral, full: string): boolean {
  if (STRING_ONLY.has(op)) {
    if (typeof actual !== 'string' || literal.kind !== 'string') return false;
    const a = actual.toLowerCase();
    const b = literal.value.toLowerCase();
    return op === 'sw' ? a.startsWith(b) : op === 'ew' ? a.endsWith(b) : a.includes(b);
  }
  if (ORDERING.has(op) && (typeof actual === 'boolean' || literal.kind === 'null' || literal.kind === 'boolean')) {
    throw new QrsFilterError(`"${full} ${op}" cannot order ${literal.kind === 'null' ? 'null' : 'true/false values'}`);
  }
  const order = compareValues(actual, literal);
  switch (op) {
    case 'eq':
      return order === 0;
    case 'ne':
      return order !== 0;
    case 'gt':
      return order !== undefined && order > 0;
    case 'ge':
      return order !== undefined && order >= 0;
    case 'lt':
      return order !== undefined && order < 0;
    default:
      return order !== undefined && order <= 0;
  }
}

/**
 * The names of an entity type's enum properties, by lower-cased dotted path, in value order: QRS holds
 * `authenticationMethod: 1` and a filter may say `authenticationMethod eq HeaderStaticUserDirectory`.
 */
export type QrsEnums = Readonly<Record<string, readonly string[]>>;

/** A bare enum name as the number QRS stores, for a path that has enum names; the literal as is otherwise. */
function enumValue(literal: QrsLiteral, full: string, enums: QrsEnums): QrsLiteral {
  const names = enums[full.toLowerCase()];
  if (literal.kind !== 'word' || !names) return literal;
  const index = names.findIndex((name) => name.toLowerCase() === literal.value.toLowerCase());
  if (index < 0) throw new QrsFilterError(`"${literal.value}" is not a value of ${full} (${names.join(', ')})`);
  return { kind: 'number', value: index };
}

/** Whether `entity` (a full QRS object) satisfies `filter`. */
export function matchesQrsFilter(filter: QrsFilter, entity: Json, enums: QrsEnums = {}): boolean {
  switch (filter.kind) {
    case 'and':
      return matchesQrsFilter(filter.left, entity, enums) && matchesQrsFilter(filter.right, entity, enums);
    case 'or':
      return matchesQrsFilter(filter.left, entity, enums) || matchesQrsFilter(filter.right, entity, enums);
    case 'not':
      return !matchesQrsFilter(filter.operand, entity, enums);
    case 'compare': {
      const full = filter.path.join('.');
      const literal = enumValue(filter.value, full, enums);
      const values = valuesAt(entity, filter.path, full);
      // `ne` over a list holds when no element equals; every other operator when some element matches.
      if (filter.op === 'ne') return !values.some((v) => holds(v, 'eq', literal, full));
      if (values.length === 0) return literal.kind === 'null' && filter.op === 'eq';
      return values.some((v) => holds(v, filter.op, literal, full));
    }
  }
}

// --- orderby ---------------------------------------------------------------------------------------

export interface QrsOrder {
  path: string[];
  descending: boolean;
}

/** Parses `orderby`: `name`, `name desc`, `modifiedDate desc, name` (asc is the default). */
export function parseQrsOrderBy(text: string): QrsOrder[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new QrsFilterError(`orderby "${text}" has an empty entry`);
  return parts.map((part) => {
    const [prop, direction, extra] = part.split(/\s+/);
    const path = prop!.split('.');
    if (!path.every((p) => NAME.test(p))) throw new QrsFilterError(`orderby: "${prop}" is not a property name`);
    const dir = direction?.toLowerCase();
    if (extra !== undefined || (dir !== undefined && dir !== 'asc' && dir !== 'desc')) {
      throw new QrsFilterError(`orderby: "${part}" must be a property name, optionally followed by asc or desc`);
    }
    return { path, descending: dir === 'desc' };
  });
}

function sortKey(entity: Json, order: QrsOrder): Json {
  const [first] = valuesAt(entity, order.path, order.path.join('.'));
  return first;
}

function compareKeys(a: Json, b: Json): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A stable sort of `entities` by `orders`; strings without regard to case, nulls first. */
export function sortQrsEntities<T>(entities: T[], orders: QrsOrder[]): T[] {
  if (orders.length === 0) return entities;
  const keyed = entities.map((entity, index) => ({ entity, index, keys: orders.map((o) => sortKey(entity, o)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < orders.length; i++) {
      const c = compareKeys(a.keys[i], b.keys[i]);
      if (c !== 0) return orders[i]!.descending ? -c : c;
    }
    return a.index - b.index;
  });
  return keyed.map((k) => k.entity);
}

// --- building filters (the client side) ------------------------------------------------------------

/** A string as a filter value: quoted, a `'` doubled. */
export function qrsQuote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `property eq 'value'` for a string property. */
export function qrsEquals(property: string, value: string): string {
  return `${property} eq ${qrsQuote(value)}`;
}
