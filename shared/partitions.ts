// The console's browser partitions (cookie jars) as the renderer may see them: what is open where, the
// cookies with their values masked, and whose Qlik session each session cookie carries as QPS reports it.
// A cookie's value never crosses: the copy call puts it on the clipboard from the main process. Pure data
// plus the choice helpers.

export type PartitionKind = 'isolated' | 'shared';

/**
 * A partition id: it names a folder on disk (<data>/partitions/<id>, the host's storage), so 1 to 100
 * letters, digits, ".", "_" or "-", never starting with "." (no ".", "..", or hidden name). The one
 * definition: the hosts' check, the record file and the IPC contract all use it.
 */
export const PARTITION_ID_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;
/**
 * A persistent partition's id, lowercase: Electron stores `persist:<id>` under a case-folded folder name,
 * so two ids differing only in case would share one jar on disk.
 */
export const PERSISTENT_PARTITION_ID_PATTERN = /^[a-z0-9_-][a-z0-9._-]{0,99}$/;

/** `id` can be a partition's id (a persistent one's, when `persistent`). */
export function isPartitionId(id: unknown, persistent = false): id is string {
  return typeof id === 'string' && (persistent ? PERSISTENT_PARTITION_ID_PATTERN : PARTITION_ID_PATTERN).test(id);
}

/** Where to open a ticket or an injected session. */
export type PartitionChoice = { kind: 'new'; persistent?: boolean } | { kind: 'existing'; partitionId: string } | { kind: 'shared' };

/** The default: a new isolated in-memory partition, so no session clobbers another. */
export const DEFAULT_PARTITION_CHOICE: PartitionChoice = { kind: 'new' };

/** The label of the one deliberately shared partition per site. */
export const SHARED_PARTITION_LABEL = 'shared (seed 003)';

/** What QPS said about the session a session cookie holds. */
export interface CookieSessionView {
  /** The virtual proxy the cookie belongs to ('' = default); the first candidate when the name is ambiguous. */
  virtualProxy: string;
  /** Other virtual proxies whose cookie has the same name (a duplicate name or a -HTTP/-HTTPS reading). */
  otherVirtualProxies: string[];
  /** '-HTTP': set by the proxy over plain HTTP; '-HTTPS': as monitoring tools show it. */
  suffix: '' | '-HTTP' | '-HTTPS';
  sessionIdMasked: string;
  /** The node whose QPS knows the session, when one does. */
  node?: string;
  /** `DIR\id`, as QPS reports it. */
  user?: string;
  userName?: string;
  /** Why no user is shown (not found on any node, QPS unreachable, ...), with the fix. */
  problem?: string;
}

export interface PartitionCookieView {
  name: string;
  domain: string;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: string;
  valueMasked: string;
  /** Present for Qlik session cookies. */
  session?: CookieSessionView;
}

export interface PartitionDownloadView {
  /** Tickets masked. */
  url: string;
  path?: string;
  bytes: number;
  error?: string;
}

/** What a partition is and is for: the same in the main process's registry and in the view the renderer gets. */
export interface PartitionInfo {
  partitionId: string;
  label: string;
  kind: PartitionKind;
  persistent: boolean;
  /** The site (profile id) whose CA the partition trusts. */
  profileId: string;
  /** ISO 8601. */
  createdAt: string;
  downloadsDir: string;
  /** Why no cookies are listed (no window open to read the jar through, the jar could not be read). */
  cookiesNote?: string;
}

/** Who logged in through one virtual proxy in a partition, oldest first: the last one holds the cookie. */
export interface PartitionLogins {
  /** The virtual proxy's prefix ('' = the default one). */
  virtualProxy: string;
  /** `DIR\id` of each user, each once, in the order of their last login; two or more is seed 003's clobbered jar. */
  users: string[];
}

export interface PartitionView extends PartitionInfo {
  /** Open windows, with their current addresses (tickets masked). */
  windows: Array<{ url: string }>;
  /** The users Usher logged in through this partition, per virtual proxy (absent when none). */
  logins?: PartitionLogins[];
  downloads: PartitionDownloadView[];
  cookies: PartitionCookieView[];
}

export interface PartitionsView {
  partitions: PartitionView[];
  /** Persistent partitions of an earlier run that were not recorded, deleted when the console started. */
  orphansRemoved: string[];
  /** Why the cleanup at start did not run or failed, with the fix. */
  cleanupProblem?: string;
}

/** A cookie of a partition, as the copy call names it (name, domain and path identify a cookie in a jar). */
export interface PartitionCookieRef {
  partitionId: string;
  name: string;
  domain: string;
  path: string;
}

export function partitionKindLabel(view: Pick<PartitionView, 'kind' | 'persistent'>): string {
  return `${view.kind === 'shared' ? 'shared' : 'isolated'}, ${view.persistent ? 'persistent' : 'in memory'}`;
}
