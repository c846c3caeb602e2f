// Tickets from the console: requested from the profile's QPS for a virtual proxy, kept in the main
// process (the renderer gets an id and a masked copy), copied to the clipboard from here, and redeemed
// in a fresh partition of the browser host. Every ticket and every session made is audited.
import type { OpenResult, RequestOf, TicketView } from '../../shared/ipc/contract';
import { openFlow } from '../../shared/ticket-flow';
import { DEFAULT_PARTITION_CHOICE } from '../../shared/partitions';
import { maskSecret } from '../../shared/redact';
import { toCurl, toPowerShell, type RequestRecord } from '../../shared/request-log';
import { appendQlikTicket } from '../../shared/ticket-url';
import { formatUser, type UserRef } from '../../shared/user';
import { prefixLabel } from '../../shared/virtual-proxy';
import type { PartitionPage } from '../hosts/browser-host';
import { BackendError } from './backend-error';
import { mintTicket } from '../core/operations/mint-ticket';
import { auditNodeName } from '../core/operations/site';
import { siteOf, type BackendContext } from './backend-context';
import { hubUrl, openTargetUrl, redeemingProxy } from '../core/sessions/redemption';
import { openTicket } from '../core/operations/open-login';
import { partitionOwner, withReplacedUser } from './partition-manager';
import type { IssuedTicket, TicketStore } from './ticket-store';

/** The masked redirect URL, readable (the mask's dots are not percent-encoded: nobody can use it anyway). */
function maskedRedirect(landing: string, ticket: string): string {
  const masked = maskSecret(ticket);
  return appendQlikTicket(landing, masked).replace(encodeURIComponent(masked), masked);
}

function isTicketCall(record: RequestRecord, qps: string, prefix: string, user: UserRef): boolean {
  if (record.service !== 'qps' || record.method !== 'POST' || !record.requestBody) return false;
  let url: URL;
  try {
    url = new URL(record.url);
  } catch {
    return false;
  }
  const path = `/qps/${prefix ? `${encodeURIComponent(prefix)}/` : ''}ticket`;
  if (url.origin !== new URL(qps).origin || url.pathname !== path) return false;
  // Two tickets may be requested at once: the body tells whose call this record is.
  const body = record.requestBody;
  return body.includes(`"UserDirectory":${JSON.stringify(user.userDirectory)}`) && body.includes(`"UserId":${JSON.stringify(user.userId)}`);
}

/** An open that did not end in a session, for whoever can explain why. */
export interface NotEstablished {
  profileId: string;
  user: UserRef;
  virtualProxy: string;
  nodeName: string;
  result: OpenResult;
}

export class TicketService {
  private readonly pages = new Set<PartitionPage>();

  constructor(
    private readonly ctx: BackendContext,
    private readonly store: TicketStore,
    private readonly clipboard: (text: string) => Promise<void>,
    /** Given a failed open, answers it with a better explanation when there is one (the inspector's refusals). */
    private readonly explainNotEstablished?: (failed: NotEstablished) => Promise<OpenResult>,
  ) {}

  async request(req: RequestOf<'tickets.request'>): Promise<TicketView> {
    const profile = await this.ctx.profiles.get(req.profileId);
    const { connection } = await siteOf(this.ctx, profile);
    const node = redeemingProxy(profile);
    const prefix = req.virtualProxy;
    const asked: UserRef = { userDirectory: req.userDirectory, userId: req.userId };
    const mark = this.ctx.requestLog.nextRecordId;
    // Audited before it is handed out: a ticket the log does not know about must not exist for the UI.
    const result = await mintTicket({
      connection,
      qps: profile.qps,
      virtualProxy: prefix,
      request: {
        ...asked,
        // Qlik's attribute list: single-key objects, keys may repeat, values may be empty.
        attributes: req.attributes.map((a) => ({ [a.key]: a.value })),
        ...(req.targetId !== undefined ? { targetId: req.targetId } : {}),
      },
      node: auditNodeName(profile.qps, profile.nodes),
      reason: req.reason ?? '',
      audit: { log: this.ctx.audit, profile: profile.id },
    });
    const user: UserRef = { userDirectory: result.userDirectory, userId: result.userId };
    const landing = result.targetUri ?? hubUrl(node.proxy, prefix);
    const record = this.ctx.requestLog.findSince(mark, (r) => isTicketCall(r, profile.qps, prefix, asked));
    const entry = this.store.add({
      ticket: result.ticket,
      profileId: profile.id,
      user,
      virtualProxy: prefix,
      node,
      landing,
      ...(result.targetUri !== undefined ? { targetUri: result.targetUri } : {}),
      ...(record ? { record } : {}),
      ...(req.reason ? { reason: req.reason } : {}),
    });
    return this.view(entry);
  }

  async copy(req: RequestOf<'tickets.copy'>): Promise<{ copied: true; preview: string }> {
    const entry = this.store.get(req.ticketId);
    let text: string;
    let preview: string;
    if (req.format === 'url') {
      // A spent or stale URL would only bounce the browser to the authentication module.
      this.store.usable(req.ticketId);
      text = appendQlikTicket(entry.landing, entry.ticket);
      preview = maskedRedirect(entry.landing, entry.ticket);
    } else {
      if (!entry.record) {
        throw new BackendError('NOT_FOUND', 'The ticket call is not in the request log.', 'Request a new ticket and copy its call right away.');
      }
      // The record is redacted and the commands use the QMC export's file names: nothing secret inside.
      text = req.format === 'curl' ? toCurl(entry.record) : toPowerShell(entry.record);
      preview = text;
    }
    await this.clipboard(text);
    return { copied: true, preview };
  }

  async open(req: RequestOf<'tickets.open'>): Promise<OpenResult> {
    const entry = this.store.usable(req.ticketId);
    // Everything that can refuse comes before the ticket is taken, so a refusal does not spend it.
    const url = openTargetUrl(entry.node.proxy, entry.virtualProxy, req.target);
    const profile = await this.ctx.profiles.get(entry.profileId);
    const { caPem } = await siteOf(this.ctx, profile);
    // The partition is chosen (and an existing one checked) before the ticket is spent.
    const { page, created } = await this.ctx.partitions.window(
      req.partition ?? DEFAULT_PARTITION_CHOICE,
      partitionOwner(profile, caPem, `${formatUser(entry.user)} on ${prefixLabel(entry.virtualProxy)}`),
    );
    let taken: IssuedTicket;
    try {
      taken = this.store.take(req.ticketId);
    } catch (err) {
      await this.ctx.partitions.abandon(page, created);
      throw err;
    }
    const sessionCookieName = profile.virtualProxies.find((vp) => vp.prefix === taken.virtualProxy)?.sessionCookieHeaderName;
    const redeemed = await openTicket({
      page,
      url,
      ticket: taken.ticket,
      virtualProxy: taken.virtualProxy,
      user: taken.user,
      node: taken.node.name,
      audit: { log: this.ctx.audit, profile: profile.id },
      ...(sessionCookieName !== undefined ? { sessionCookieName } : {}),
      ...(taken.reason ? { reason: taken.reason } : {}),
    });
    this.pages.add(page);
    if (redeemed.sessionId) {
      this.ctx.partitions.noteSession(page.partitionId, redeemed.sessionId, { nodeName: taken.node.name, qps: profile.qps, prefix: taken.virtualProxy });
    }
    if (redeemed.timing) {
      const { redeemMs, checkMs, cookieName } = redeemed.timing;
      const issueMs = taken.record?.durationMs;
      redeemed.result.flow = openFlow({
        prefix: taken.virtualProxy,
        redeemMs: Math.round(redeemMs),
        status: redeemed.result.status,
        established: redeemed.result.established,
        ...(issueMs !== undefined ? { issueMs } : {}),
        ...(checkMs !== undefined ? { checkMs: Math.round(checkMs) } : {}),
        ...(cookieName !== undefined ? { cookieName } : {}),
        ...(redeemed.result.user !== undefined ? { user: redeemed.result.user } : {}),
      });
    }
    if (!redeemed.result.established && this.explainNotEstablished) {
      // Qlik answers a login over the parallel-session limit with an error page and no cookie; only the
      // site's session count can tell that apart from a ticket the proxy did not accept.
      return this.explainNotEstablished({
        profileId: profile.id,
        user: taken.user,
        virtualProxy: taken.virtualProxy,
        nodeName: taken.node.name,
        result: redeemed.result,
      });
    }
    return withReplacedUser(this.ctx.partitions, redeemed.result, taken.virtualProxy);
  }

  /** Closes the partition pages this console opened (the host itself is closed by its owner). */
  async closePages(): Promise<void> {
    await Promise.all([...this.pages].map((page) => page.close().catch(() => undefined)));
    this.pages.clear();
  }

  private view(entry: IssuedTicket): TicketView {
    const view: TicketView = {
      ticketId: entry.id,
      ticketMasked: maskSecret(entry.ticket),
      user: formatUser(entry.user),
      virtualProxy: entry.virtualProxy,
      expiresAt: new Date(entry.expiresAt).toISOString(),
      redirectUrlMasked: maskedRedirect(entry.landing, entry.ticket),
    };
    if (entry.targetUri !== undefined) view.targetUri = entry.targetUri;
    return view;
  }
}
