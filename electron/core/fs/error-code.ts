// The `code` of a failed Node call (ENOENT, EACCES, ...), from anything thrown.

export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}
