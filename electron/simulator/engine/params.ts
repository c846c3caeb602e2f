// Binds a request's `params` to a method's declared parameters, as the engine does: positional (an
// array, what enigma.js sends) or by name (an object, what raw clients often send). A missing required
// parameter, an unknown name or a value of the wrong JSON type is "Invalid parameters" (-32602).
import { invalidParams } from './qix-error';
import type { QixParam } from './qix-schema';

export type BoundParams = Record<string, unknown>;

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Numbers and enum values travel as numbers; the schema's default tells the type. */
function typeMatches(param: QixParam, value: unknown): boolean {
  const expected = jsonType(param.defaultValue);
  const actual = jsonType(value);
  // Enums travel as numbers or by name ('CSV_C', 'EXPORT_CSV_C'); the handler resolves the name.
  if (expected === 'number' && actual === 'string') return true;
  return expected === actual;
}

/**
 * An enum parameter's number: the number itself, or its name from the schema, with or without the
 * enum's common prefix (the engine takes `EXPORT_CSV_C` and `CSV_C` alike). Undefined when unknown.
 */
export function enumValue(value: unknown, values: Record<string, number>): number | undefined {
  const known = Object.values(values);
  if (typeof value === 'number') return known.includes(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  for (const [name, number] of Object.entries(values)) {
    if (name === value || name.slice(name.indexOf('_') + 1) === value) return number;
  }
  return undefined;
}

export function bindParams(declared: QixParam[], raw: unknown): BoundParams {
  const bound: BoundParams = {};
  if (raw === undefined || raw === null) raw = [];
  if (Array.isArray(raw)) {
    if (raw.length > declared.length) throw invalidParams(`expected at most ${declared.length} parameter(s), got ${raw.length}`);
    raw.forEach((value, i) => {
      bound[declared[i]!.name] = value;
    });
  } else if (typeof raw === 'object') {
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
      if (!declared.some((p) => p.name === name)) throw invalidParams(name);
      bound[name] = value;
    }
  } else {
    throw invalidParams('params');
  }
  for (const param of declared) {
    const value = bound[param.name];
    if (value === undefined) {
      if (!param.optional) throw invalidParams(param.name);
      bound[param.name] = structuredClone(param.defaultValue);
      continue;
    }
    if (!typeMatches(param, value)) throw invalidParams(param.name);
  }
  return bound;
}
