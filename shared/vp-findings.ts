// Findings of the virtual proxy checks, as the console and the CLI show them. Pure data.

export type Severity = 'error' | 'warning' | 'info';

export type VpRuleId =
  | 'duplicate-cookie-name'
  | 'not-linked'
  | 'no-load-balancing'
  | 'bad-prefix'
  | 'ticket-without-module'
  | 'module-not-https'
  | 'module-unreachable'
  | 'header-without-name'
  | 'embed-host-not-allowed'
  | 'embed-samesite'
  | 'embed-csrf-headers'
  | 'extreme-timeout'
  | 'anonymous-access'
  | 'cookie-domain'
  | 'header-reserved-name'
  | 'jwt-certificate-missing'
  | 'jwt-certificate-unparseable'
  | 'jwt-certificate-expired'
  | 'jwt-key-mismatch'
  | 'jwt-no-user-id'
  | 'jwt-no-directory'
  | 'jwt-mashup-csrf';

export interface VpFinding {
  rule: VpRuleId;
  severity: Severity;
  /** The virtual proxy's prefix ('' = the default one) and its description, as the QMC lists them. */
  virtualProxy: string;
  description: string;
  /** The QRS field at fault. */
  field: string;
  /** What goes wrong for users. */
  problem: string;
  fix: string;
}

export const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'info'];
