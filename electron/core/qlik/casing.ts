// Qlik answers PascalCase (UserDirectory, SessionId) where its OpenAPI models say camelCase; the clients
// normalise every response to camelCase so callers never care which one a server version used.

/** `UserDirectory` -> `userDirectory`, `ID` -> `id`, `URLPath` -> `urlPath`, `userId` unchanged. */
export function camelKey(key: string): string {
  const lead = /^[A-Z]+/.exec(key)?.[0];
  if (!lead) return key;
  // In a run of capitals followed by lower case, the last capital starts the next word (URLPath).
  const keep = lead.length > 1 && lead.length < key.length && /[a-z]/.test(key.charAt(lead.length)) ? lead.length - 1 : lead.length;
  return key.slice(0, keep).toLowerCase() + key.slice(keep);
}

export interface CamelCaseOptions {
  /**
   * Keys (compared after camel-casing) whose values are copied verbatim: Qlik attributes such as
   * `{"Group":"Sales"}` are data, not field names, and must keep their casing.
   */
  keepValuesOf?: ReadonlySet<string>;
}

/** Copies a parsed JSON value with every object key camel-cased, recursively. */
export function camelCaseKeys(value: unknown, options: CamelCaseOptions = {}): unknown {
  if (Array.isArray(value)) return value.map((item) => camelCaseKeys(item, options));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const camel = camelKey(key);
    // On a clash (both `UserId` and `userId` present) the camelCase original wins: it is already what we want.
    if (Object.hasOwn(out, camel) && camel !== key) continue;
    // defineProperty, not assignment: a `__proto__` key in server JSON must stay a plain key.
    Object.defineProperty(out, camel, {
      value: options.keepValuesOf?.has(camel) ? inner : camelCaseKeys(inner, options),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
