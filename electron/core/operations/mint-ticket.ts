// Minting a ticket, written once for `usher ticket` and the console's Tickets screen: one QPS ticket
// request, audited before the ticket is handed to anyone (a ticket the log does not know about must not
// exist for a face), the ticket masked in the record whatever the face does with it next. Opening it
// (a browser partition, a URL, a login by header or JWT) is the face's, on the result.
import { maskSecret } from '../../../shared/redact';
import type { QlikConnection, TicketRequest, TicketResult } from '../qlik';
import type { AuditTrail } from './site';

export interface MintTicketInput {
  connection: QlikConnection;
  /** The QPS base URL of the node that issues it. */
  qps: string;
  virtualProxy: string;
  /** Who, with which attributes, and the targetId of a proxy's redirect when there is one. */
  request: TicketRequest;
  /** The node the audit record names. */
  node: string;
  /** Why, as the person gave it. */
  reason: string;
  audit: AuditTrail;
}

export async function mintTicket(input: MintTicketInput): Promise<TicketResult> {
  const result = await input.connection.qps(input.qps, input.virtualProxy).requestTicket(input.request);
  await input.audit.log.append({
    action: 'ticket',
    profile: input.audit.profile,
    node: input.node,
    virtualProxy: input.virtualProxy,
    // Who QPS issued it for: the user as Qlik spells it, not as typed.
    userDirectory: result.userDirectory,
    userId: result.userId,
    reason: input.reason,
    ticketMasked: maskSecret(result.ticket),
  });
  return result;
}
