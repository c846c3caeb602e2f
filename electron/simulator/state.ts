// The live state of a simulated site: tickets, target ids and sessions, with the rules a real site
// enforces (single-use one-minute tickets, per-node sessions, the parallel-session cap, inactivity
// timeout). Pure logic over an injectable clock so tests can move time; the HTTP front ends call it.
import { randomBytes, randomUUID } from 'node:crypto';
import { sameUser, type UserRef } from '../../shared/user';
import type { SiteDescription, VirtualProxyDescription } from './site';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private time = Date.now()) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export type Attributes = Array<Record<string, string>>;

export type { UserRef };

export interface Ticket extends UserRef {
  ticket: string;
  nodeId: string;
  virtualProxyId: string;
  attributes: Attributes;
  targetUri?: string;
  issuedAt: number;
  used: boolean;
}

export interface Session extends UserRef {
  sessionId: string;
  nodeId: string;
  virtualProxyId: string;
  attributes: Attributes;
  userName?: string;
  createdAt: number;
  lastActiveAt: number;
}

export const TOO_MANY_SESSIONS_MESSAGE = 'You cannot access Qlik Sense because you have too many sessions active in parallel.';

export class TooManySessionsError extends Error {
  override name = 'TooManySessionsError';
  constructor() {
    super(TOO_MANY_SESSIONS_MESSAGE);
  }
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters from [A-Za-z0-9], uniformly, from the CSPRNG (rejection sampling, no modulo bias). */
export function randomAlphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += ALPHANUMERIC[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** How long a redirect's targetId stays resolvable: long enough for a person to log in. */
const TARGET_ID_LIFETIME_MS = 30 * 60 * 1000;

/** Why a session ended: the proxy tells the session's WebSockets with a message of its own for each. */
export type SessionEndReason = 'logout' | 'timeout' | 'closed';

export type SessionEndListener = (session: Session, reason: SessionEndReason) => void;

export class SiteState {
  private readonly endListeners = new Set<SessionEndListener>();
  private readonly tickets = new Map<string, Ticket>();
  private readonly targets = new Map<string, { uri: string; createdAt: number }>();
  /** nodeId -> sessionId -> session: sessions live on the node whose proxy created them. */
  private readonly sessions = new Map<string, Map<string, Session>>();
  // Indexes: a 300-virtual-proxy site looks a virtual proxy up for every session it lists.
  private readonly vpById = new Map<string, VirtualProxyDescription>();
  private readonly vpByPrefix = new Map<string, VirtualProxyDescription>();

  constructor(
    readonly site: SiteDescription,
    readonly clock: Clock = systemClock,
  ) {
    for (const node of site.nodes) this.sessions.set(node.id, new Map());
    for (const vp of site.virtualProxies) {
      this.vpById.set(vp.id, vp);
      this.vpByPrefix.set(vp.prefix, vp);
    }
  }

  virtualProxyByPrefix(prefix: string): VirtualProxyDescription | undefined {
    return this.vpByPrefix.get(prefix.toLowerCase());
  }

  virtualProxyById(id: string): VirtualProxyDescription | undefined {
    return this.vpById.get(id);
  }

  /** The virtual proxy with `prefix`, only if `nodeId`'s proxy links it (otherwise it does not exist there). */
  linkedVirtualProxy(nodeId: string, prefix: string): VirtualProxyDescription | undefined {
    const vp = this.virtualProxyByPrefix(prefix);
    const node = this.site.nodes.find((n) => n.id === nodeId);
    return vp && node?.virtualProxies.includes(vp.id) ? vp : undefined;
  }

  /** Calls `listener` whenever a session ends (the engine closes that session's sockets). Returns the unsubscribe. */
  onSessionEnded(listener: SessionEndListener): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  private ended(session: Session, reason: SessionEndReason): void {
    for (const listener of this.endListeners) {
      try {
        listener(session, reason);
      } catch {
        // A listener's failure must not keep the session alive or stop the others.
      }
    }
  }

  // --- redirect targets -------------------------------------------------------------------------

  /** Remembers where a browser wanted to go; the module gets the id back as `targetId`. */
  registerTarget(uri: string): string {
    const id = randomUUID();
    this.targets.set(id, { uri, createdAt: this.clock.now() });
    return id;
  }

  resolveTarget(targetId: string): string | undefined {
    // randomUUID ids are lowercase; a module may echo them in upper case.
    const key = targetId.toLowerCase();
    const target = this.targets.get(key);
    if (!target) return undefined;
    if (this.clock.now() - target.createdAt > TARGET_ID_LIFETIME_MS) {
      this.targets.delete(key);
      return undefined;
    }
    return target.uri;
  }

  // --- tickets ----------------------------------------------------------------------------------

  issueTicket(nodeId: string, virtualProxyId: string, user: UserRef, attributes: Attributes, targetId?: string): Ticket {
    this.sweepTickets();
    const ticket: Ticket = {
      ticket: randomAlphanumeric(16),
      nodeId,
      virtualProxyId,
      userDirectory: user.userDirectory,
      userId: user.userId,
      attributes,
      targetUri: targetId ? this.resolveTarget(targetId) : undefined,
      issuedAt: this.clock.now(),
      used: false,
    };
    this.tickets.set(ticket.ticket, ticket);
    return ticket;
  }

  /**
   * Redeems a ticket at `nodeId`'s proxy on `virtualProxyId`. Returns undefined - "not authenticated" -
   * for an unknown, used, expired or foreign ticket; a ticket is spent by its first redemption attempt.
   */
  redeemTicket(nodeId: string, virtualProxyId: string, value: string): Ticket | undefined {
    const ticket = this.tickets.get(value);
    if (!ticket || ticket.used) return undefined;
    ticket.used = true;
    if (this.clock.now() - ticket.issuedAt > this.site.ticketValiditySeconds * 1000) return undefined;
    if (ticket.nodeId !== nodeId || ticket.virtualProxyId !== virtualProxyId) return undefined;
    return ticket;
  }

  private sweepTickets(): void {
    // Bounded memory under load: forget tickets well past their minute.
    if (this.tickets.size < 10_000) return;
    const cutoff = this.clock.now() - this.site.ticketValiditySeconds * 2000;
    // The map holds tickets in issue order: stop at the first one still young, so a busy site pays for
    // the tickets it forgets, not for a walk over every live one on each issue.
    for (const [key, ticket] of this.tickets) {
      if (ticket.issuedAt >= cutoff) break;
      this.tickets.delete(key);
    }
  }

  // --- sessions ---------------------------------------------------------------------------------

  private nodeSessions(nodeId: string): Map<string, Session> {
    const map = this.sessions.get(nodeId);
    if (!map) throw new Error(`unknown node ${nodeId}`);
    return map;
  }

  private isExpired(session: Session): boolean {
    const vp = this.virtualProxyById(session.virtualProxyId);
    const timeoutMs = (vp?.sessionInactivityTimeout ?? 30) * 60_000;
    return this.clock.now() - session.lastActiveAt > timeoutMs;
  }

  /** Drops sessions past their virtual proxy's inactivity timeout, and redirect targets past their lifetime. */
  expireInactive(): void {
    for (const map of this.sessions.values()) {
      for (const [id, session] of map) {
        if (!this.isExpired(session)) continue;
        map.delete(id);
        this.ended(session, 'timeout');
      }
    }
    const now = this.clock.now();
    for (const [id, target] of this.targets) if (now - target.createdAt > TARGET_ID_LIFETIME_MS) this.targets.delete(id);
  }

  /** Live sessions of a user across the site: the parallel-session cap is a licence rule, site-wide. */
  countUserSessions(user: UserRef): number {
    let count = 0;
    for (const map of this.sessions.values()) {
      for (const session of map.values()) {
        if (sameUser(session, user) && !this.isExpired(session)) count++;
      }
    }
    return count;
  }

  /** Creates a session; throws TooManySessionsError when the user already holds the allowed number. */
  createSession(nodeId: string, virtualProxyId: string, user: UserRef, attributes: Attributes, sessionId: string = randomUUID()): Session {
    if (this.countUserSessions(user) >= this.site.maxParallelSessionsPerUser) throw new TooManySessionsError();
    const known = this.site.users.find((u) => sameUser(u, user));
    const now = this.clock.now();
    const session: Session = {
      sessionId,
      nodeId,
      virtualProxyId,
      userDirectory: user.userDirectory,
      userId: user.userId,
      userName: known?.name,
      attributes,
      createdAt: now,
      lastActiveAt: now,
    };
    this.nodeSessions(nodeId).set(sessionId, session);
    return session;
  }

  /** A live session on `nodeId` (and on `virtualProxyId` when given); touching it resets its inactivity timer. */
  getSession(nodeId: string, sessionId: string, virtualProxyId?: string, touch = false): Session | undefined {
    const map = this.nodeSessions(nodeId);
    const session = map.get(sessionId);
    if (!session) return undefined;
    if (this.isExpired(session)) {
      map.delete(sessionId);
      this.ended(session, 'timeout');
      return undefined;
    }
    if (virtualProxyId !== undefined && session.virtualProxyId !== virtualProxyId) return undefined;
    if (touch) session.lastActiveAt = this.clock.now();
    return session;
  }

  listSessions(nodeId: string, virtualProxyId?: string): Session[] {
    const out: Session[] = [];
    for (const session of this.nodeSessions(nodeId).values()) {
      if (this.isExpired(session)) continue;
      if (virtualProxyId === undefined || session.virtualProxyId === virtualProxyId) out.push(session);
    }
    return out;
  }

  /** Ends a session; `reason` says how (a logout on the personal API, or the QPS API / an admin: closed). */
  deleteSession(nodeId: string, sessionId: string, virtualProxyId?: string, reason: SessionEndReason = 'closed'): Session | undefined {
    const session = this.getSession(nodeId, sessionId, virtualProxyId);
    if (session) {
      this.nodeSessions(nodeId).delete(sessionId);
      this.ended(session, reason);
    }
    return session;
  }

  userSessions(nodeId: string, user: UserRef, virtualProxyId?: string): Session[] {
    return this.listSessions(nodeId, virtualProxyId).filter((s) => sameUser(s, user));
  }

  deleteUserSessions(nodeId: string, user: UserRef, virtualProxyId?: string): Session[] {
    const ended = this.userSessions(nodeId, user, virtualProxyId);
    const map = this.nodeSessions(nodeId);
    for (const session of ended) {
      map.delete(session.sessionId);
      this.ended(session, 'closed');
    }
    return ended;
  }

  /** Fills a node with `count` sessions spread over its virtual proxies (scale tests, the benchmark). */
  seedSessions(nodeId: string, count: number): void {
    const node = this.site.nodes.find((n) => n.id === nodeId);
    if (!node) throw new Error(`unknown node ${nodeId}`);
    const users = this.site.users.length ? this.site.users : [{ userDirectory: 'GEN', userId: 'user1', name: 'user1' }];
    for (let i = 0; i < count; i++) {
      const user = users[i % users.length]!;
      const vpId = node.virtualProxies[i % node.virtualProxies.length]!;
      this.createSession(nodeId, vpId, user, []);
    }
  }
}
