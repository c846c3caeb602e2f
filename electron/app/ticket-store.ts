// Tickets the console requested, held in the main process only: the renderer gets an id and a masked
// copy. A Qlik ticket is valid once, for about a minute; the store mirrors that so the console refuses a
// spent or stale ticket itself instead of sending a person's browser to a proxy that will bounce it.
import { randomUUID } from 'node:crypto';
import type { RequestRecord } from '../../shared/request-log';
import type { UserRef } from '../../shared/user';
import { BackendError } from './backend-error';

/** Qlik's ticket validity. */
export const TICKET_VALIDITY_MS = 60_000;
/** How long a spent or expired ticket is still known (copy as curl still works; open says "expired"). */
export const TICKET_RETENTION_MS = 15 * 60_000;

export interface IssuedTicket {
  id: string;
  /** The real ticket: never leaves the main process. */
  ticket: string;
  profileId: string;
  user: UserRef;
  virtualProxy: string;
  /** The node whose QPS issued it: only that node's proxy redeems it. */
  node: { name: string; proxy: string };
  /** Where the browser goes with the ticket: TargetUri, else the node's hub. */
  landing: string;
  targetUri?: string;
  /** The redacted record of the ticket call (for copy as curl / PowerShell). */
  record?: RequestRecord;
  /** Why, as the person gave it when asking for the ticket: the session it opens is recorded with it. */
  reason?: string;
  /** Epoch milliseconds. */
  issuedAt: number;
  expiresAt: number;
  used: boolean;
}

export type NewTicket = Omit<IssuedTicket, 'id' | 'issuedAt' | 'expiresAt' | 'used'>;

export interface TicketStoreOptions {
  /** Epoch milliseconds; tests move it. */
  now?: () => number;
  validityMs?: number;
  retentionMs?: number;
}

const EXPIRED_HINT = 'request a new ticket: tickets are valid once, for 60 seconds';

export class TicketStore {
  private readonly tickets = new Map<string, IssuedTicket>();
  private readonly now: () => number;
  private readonly validityMs: number;
  private readonly retentionMs: number;

  constructor(options: TicketStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.validityMs = options.validityMs ?? TICKET_VALIDITY_MS;
    this.retentionMs = options.retentionMs ?? TICKET_RETENTION_MS;
  }

  add(fields: NewTicket): IssuedTicket {
    this.sweep();
    const issuedAt = this.now();
    const entry: IssuedTicket = { ...fields, id: randomUUID(), issuedAt, expiresAt: issuedAt + this.validityMs, used: false };
    this.tickets.set(entry.id, entry);
    return entry;
  }

  /** Any known ticket, spent or not. NOT_FOUND once it is forgotten. */
  get(id: string): IssuedTicket {
    this.sweep();
    const entry = this.tickets.get(id);
    if (!entry) throw new BackendError('NOT_FOUND', 'This ticket is not known (any more).', EXPIRED_HINT);
    return entry;
  }

  /** A ticket that can still be redeemed: not used, not expired. */
  usable(id: string): IssuedTicket {
    const entry = this.get(id);
    if (entry.used) throw new BackendError('TICKET_EXPIRED', 'This ticket was already used.', EXPIRED_HINT);
    if (this.now() >= entry.expiresAt) throw new BackendError('TICKET_EXPIRED', 'This ticket has expired.', EXPIRED_HINT);
    return entry;
  }

  /** Takes a usable ticket for redemption: from now on it counts as used, whatever the proxy answers. */
  take(id: string): IssuedTicket {
    const entry = this.usable(id);
    entry.used = true;
    return entry;
  }

  /** Forgets tickets past their retention. */
  sweep(): void {
    const cutoff = this.now() - this.retentionMs;
    for (const [id, entry] of this.tickets) if (entry.expiresAt < cutoff) this.tickets.delete(id);
  }

  get size(): number {
    return this.tickets.size;
  }
}
