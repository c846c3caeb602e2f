// How people write a Qlik user: `DIRECTORY\id` (QMC style). Pure, for the CLI and the renderer alike.
import { hasControlCharacters, terminalValue } from './terminal-text';

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

/** The longest user directory or user id accepted: Qlik's repository keeps at most 255 characters of each. */
export const USER_PART_MAX = 255;

/**
 * Why a user cannot be sent to Qlik, or undefined: a control character (a terminal escape, a bidi
 * override) or an absurd length in the directory or the id. Checked where a ticket or session is minted.
 */
export function userProblem(user: UserRef): string | undefined {
  for (const [label, value] of [
    ['user directory', user.userDirectory],
    ['user id', user.userId],
  ] as const) {
    if (value.length > USER_PART_MAX) return `the ${label} has ${value.length} characters; Qlik keeps at most ${USER_PART_MAX}`;
    if (hasControlCharacters(value)) return `the ${label} holds control characters (${terminalValue(value, 60)})`;
  }
  return undefined;
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
