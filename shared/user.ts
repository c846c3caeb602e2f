// How people write a Qlik user: `DIRECTORY\id` (QMC style). Pure, for the CLI and the renderer alike.

export interface UserRef {
  userDirectory: string;
  userId: string;
}

/** `DIR\id` (or `DIR/id`, easier to type in shells); undefined when either part is missing. */
export function parseUser(value: string): UserRef | undefined {
  const match = /^([^\\/]+)[\\/](.+)$/.exec(value.trim());
  if (!match) return undefined;
  const userDirectory = match[1]!.trim();
  const userId = match[2]!.trim();
  return userDirectory && userId && !userId.includes('\\') ? { userDirectory, userId } : undefined;
}

export function formatUser(user: UserRef): string {
  return `${user.userDirectory}\\${user.userId}`;
}

/** Qlik compares user directories and ids case-insensitively. */
export function sameUser(a: UserRef, b: UserRef): boolean {
  return a.userDirectory.toLowerCase() === b.userDirectory.toLowerCase() && a.userId.toLowerCase() === b.userId.toLowerCase();
}

/**
 * The user an answer names, when it has both fields as strings (the proxy's personal API,
 * `/{prefix}/qps/user`, answers `{ userDirectory, userId, ... }` for a session, something else without).
 */
export function userRefOf(body: unknown): UserRef | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { userDirectory, userId } = body as Record<string, unknown>;
  return typeof userDirectory === 'string' && typeof userId === 'string' ? { userDirectory, userId } : undefined;
}
