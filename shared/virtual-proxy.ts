// How people read a virtual proxy prefix, in the CLI and the console alike.

/** '' is the default virtual proxy; others are shown with their leading slash, as in URLs. */
export function prefixLabel(prefix: string): string {
  return prefix === '' ? '(default)' : `/${prefix}`;
}
