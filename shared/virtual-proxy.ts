// How people read a virtual proxy prefix, in the CLI and the console alike.

/** '' is the default virtual proxy; others are shown with their leading slash, as in URLs. */
export function prefixLabel(prefix: string): string {
  return prefix === '' ? '(default)' : `/${prefix}`;
}

/** A virtual proxy in a sentence: `/prefix`, or "the default virtual proxy". */
export function prefixPhrase(prefix: string): string {
  return prefix ? `/${prefix}` : 'the default virtual proxy';
}

/** `https://host:port/{prefix/}`: where a virtual proxy's pages live on a node's proxy (any address on it will do). */
export function virtualProxyBase(proxy: string, prefix: string): string {
  return `${new URL(proxy).origin}/${prefix ? `${encodeURIComponent(prefix)}/` : ''}`;
}
