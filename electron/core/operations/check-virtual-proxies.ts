// The virtual proxy checks, written once for `usher check` and the console's Checks screen: the mashup
// origin read by one rule, the site's virtual proxies and proxy services read from its QRS, the
// authentication modules probed when asked (time-limited), every rule applied.
import { UsherError } from '../../../shared/errors';
import type { VpFinding } from '../../../shared/vp-findings';
import { createModuleProbe } from '../checks/module-probe';
import { checkVirtualProxies } from '../checks/virtual-proxy-checks';
import type { QlikConnection } from '../qlik';

/** Long enough for a slow module to answer, short enough to wait for in a window or a CI job. */
export const MODULE_PROBE_TIMEOUT_MS = 5_000;

/** An origin a person gave that a mashup cannot have: bad input (the CLI exits 2). */
export class OriginError extends UsherError<'INVALID_ORIGIN'> {
  override name = 'OriginError';
  override readonly badInput = true;
  constructor(message: string, hint: string) {
    super('INVALID_ORIGIN', message, hint);
  }
}

/**
 * `https://portal.example.com` of whatever https address was given (a pasted page URL works too). Only
 * https: Qlik's session cookie must be SameSite=None; Secure to be sent from an embedding page, which a
 * plain-http page never gets; javascript:, data:, file: or ftp: pages have no origin to allow at all.
 * `label` names the input as the person knows it (`--origin` in the CLI).
 */
export function mashupOrigin(value: string, label?: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || !url.hostname) {
    const given = `${label ? `${label} ` : ''}${value.slice(0, 200)}`;
    throw new OriginError(`${given} is not an https:// origin`, "give the mashup's origin, for example https://portal.example.com");
  }
  return url.origin;
}

export interface CheckVirtualProxiesInput {
  connection: QlikConnection;
  /** The QRS base URL (`https://host:4242`). */
  qrs: string;
  /** The site CA: modules often sit on the Qlik server with the site's certificate, so it is trusted for the probe too. */
  caPem: string;
  /** The mashup's origin as given, when checking embedding (read by mashupOrigin). */
  origin?: string;
  /** Probe authentication modules (one GET each, at most probeTimeoutMs). */
  probe: boolean;
  probeTimeoutMs?: number;
  /** The certificate of the JWT signing pair Usher holds for this profile, when it holds one. */
  jwtSigningCertificatePem?: string;
}

export interface CheckVirtualProxiesResult {
  /** Every virtual proxy QRS reported, in its order ('' = the default one). */
  checked: Array<{ prefix: string; description: string }>;
  /** Errors first, then by virtual proxy. */
  findings: VpFinding[];
  durationMs: number;
}

export async function runVirtualProxyChecks(input: CheckVirtualProxiesInput): Promise<CheckVirtualProxiesResult> {
  const started = performance.now();
  // The origin first: a bad one is refused before the site is asked anything.
  const origin = input.origin === undefined ? undefined : mashupOrigin(input.origin);
  const qrs = input.connection.qrs(input.qrs);
  const [virtualProxies, proxyServices] = await Promise.all([qrs.virtualProxies(), qrs.proxyServices()]);
  const probe = input.probe ? createModuleProbe({ caPem: input.caPem, timeoutMs: input.probeTimeoutMs ?? MODULE_PROBE_TIMEOUT_MS }) : undefined;
  try {
    const findings = await checkVirtualProxies({
      virtualProxies,
      proxyServices,
      ...(origin !== undefined ? { origin } : {}),
      ...(probe ? { probeModule: probe.probe } : {}),
      ...(input.jwtSigningCertificatePem ? { jwtSigningCertificatePem: input.jwtSigningCertificatePem } : {}),
    });
    return {
      checked: virtualProxies.map((vp) => ({ prefix: vp.prefix, description: vp.description })),
      findings,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await probe?.close();
  }
}
