// The house schema helpers (shared/schema.ts): the limits every boundary inherits and the messages the
// faces show or map (path first, never the value).
import { describe, expect, it } from 'vitest';
import { allProblems, firstProblem, list, literal, number, optional, parse, record, SchemaError, text, union } from '../../shared/schema';

function problem(schema: Parameters<typeof parse>[0], value: unknown): string {
  const result = firstProblem(schema, value);
  if (result.ok) throw new Error('accepted');
  return result.error.message;
}

describe('shared/schema', () => {
  const person = record({
    name: text({ min: 1, max: 10 }),
    tags: list(record({ key: text(), value: text() }), 3),
    age: optional(number({ min: 0, integer: true })),
  });

  it('names the path of the first problem, never the value', () => {
    expect(
      problem(person, {
        name: 'ok',
        tags: [
          { key: 'k', value: 'v' },
          { key: 'k', value: 7 },
        ],
      }),
    ).toBe('tags[1].value: must be a string, got a number');
    expect(problem(person, { name: 'secret-too-long' })).toBe('name: must be at most 10 characters');
    expect(problem(person, { tags: [] })).toBe('name: is missing');
    expect(problem(person, { name: 'a', tags: [], extra: 1 })).toBe('extra: not expected here');
    expect(problem(person, 'x')).toBe('payload: must be an object, got a string');
    expect(problem(person, { name: 'a', tags: [], age: 1.5 })).toBe('age: must be a whole number');
    expect(problem(person, { name: 'a', tags: [], age: Infinity })).toBe('age: must be a finite number');
    const error = firstProblem(person, { name: 'a', tags: 'x' });
    expect(!error.ok && error.error).toMatchObject({ path: 'tags', problem: 'must be an array, got a string' });
  });

  it('caps text at 64 KiB and refuses half of a surrogate pair', () => {
    expect(problem(text(), 'a'.repeat(64 * 1024 + 1))).toBe('payload: must be at most 65536 characters');
    expect(problem(text({ max: 1_000_000 }), 'a'.repeat(64 * 1024 + 1))).toBe('payload: must be at most 65536 characters');
    expect(problem(text(), 'a\uD800')).toBe('payload: must be well-formed text (it holds half of a surrogate pair)');
    expect(parse(text(), '😀')).toBe('😀');
  });

  it('counts a list before reading any item, and holds at most 1000 unless told otherwise', () => {
    const items = new Proxy(Array.from({ length: 1_000_000 }), {
      get: (target, key) =>
        key === 'length'
          ? target.length
          : (() => {
              throw new Error('item read');
            })(),
    });
    expect(problem(list(text()), items)).toBe('payload: holds 1000000 items; at most 1000 are allowed');
    expect(
      problem(
        list(text()),
        Array.from({ length: 1001 }, () => 'x'),
      ),
    ).toBe('payload: holds 1001 items; at most 1000 are allowed');
    expect(
      parse(
        list(text(), 5000),
        Array.from({ length: 1001 }, () => 'x'),
      ),
    ).toHaveLength(1001);
    expect(problem(list(text()), Object.assign([], { 0: 'a', 2: 'b', length: 3 }))).toBe('[1]: must be a string, got nothing');
  });

  it('hands out copies without undefined leaves and refuses what is not plain data', () => {
    const input = { name: 'a', tags: [], age: undefined };
    const out = parse(person, input);
    expect(out).not.toBe(input);
    expect(Object.keys(out)).toEqual(['name', 'tags']);
    class Person {
      name = 'a';
      tags = [];
    }
    expect(problem(person, new Person())).toBe('payload: must be an object, got an object');
    expect(parse(person, Object.assign(Object.create(null) as object, { name: 'a', tags: [] }))).toEqual({ name: 'a', tags: [] });
    const throwing = Object.defineProperty({}, 'name', {
      enumerable: true,
      get: () => {
        throw new Error('getter');
      },
    });
    expect(() => parse(person, throwing)).toThrow(new SchemaError('', 'could not be read'));
  });

  it('lists every problem, one per field, for files a person edits', () => {
    const result = allProblems(person, { name: '', tags: [{ key: 1, value: 'v' }], age: -1, extra: true }, 'person');
    expect(!result.ok && result.error.map((e) => e.message)).toEqual([
      'name: must be at least 1 characters',
      'tags[0].key: must be a string, got a number',
      'age: must be 0 or more',
      'extra: not expected here',
    ]);
    expect(firstProblem(person, null, 'person')).toMatchObject({ ok: false, error: { message: 'person: must be an object, got null' } });
  });

  it('tells union variants apart by their field', () => {
    const target = union('kind', { hub: { kind: literal('hub') }, app: { kind: literal('app'), appId: text({ min: 1 }) } });
    expect(parse(target, { kind: 'app', appId: 'x' })).toEqual({ kind: 'app', appId: 'x' });
    expect(problem(target, { kind: 'nope' })).toBe('kind: must be one of hub, app, got a string');
    expect(problem(target, { kind: 'hub', appId: 'x' })).toBe('appId: not expected here');
  });
});
