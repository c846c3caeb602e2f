// The audit log as a CSV file (Audit section's export): one row per entry, every field the log keeps, in
// the order a reviewer reads them. Entries are masked on write and on read, so nothing here is secret.
import type { AuditEntry } from '../../../shared/audit';
import { prefixLabel } from '../../../shared/virtual-proxy';
import { toCsv } from './csv';

const COLUMNS: ReadonlyArray<{ header: string; value: (e: AuditEntry) => string | undefined }> = [
  { header: 'Time', value: (e) => e.at },
  { header: 'Action', value: (e) => e.action },
  { header: 'Site', value: (e) => e.profile },
  { header: 'Node', value: (e) => e.node },
  { header: 'Virtual proxy', value: (e) => prefixLabel(e.virtualProxy) },
  { header: 'User directory', value: (e) => e.userDirectory },
  { header: 'User id', value: (e) => e.userId },
  { header: 'Why', value: (e) => e.reason },
  { header: 'Ticket (masked)', value: (e) => e.ticketMasked },
  { header: 'Session id (masked)', value: (e) => e.sessionIdMasked },
  { header: 'Session id SHA-256', value: (e) => e.sessionIdDigest },
];

export function auditCsv(entries: readonly AuditEntry[]): string {
  return toCsv([COLUMNS.map((c) => c.header), ...entries.map((e) => COLUMNS.map((c) => c.value(e) ?? ''))]);
}
