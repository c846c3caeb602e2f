// Counts in words: "1 session", "2 sessions", never "session(s)".

/** `n` and the noun in the right number; `many` for nouns that do not just take an "s" (proxy -> proxies). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
