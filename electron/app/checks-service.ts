// The checks screen's backend: the virtual proxies and proxy services of the profile's site, read from
// its QRS through the console's connection (so the calls show in the request log), checked by the same
// rules `usher check` applies. Authentication modules are probed only when asked: one GET each, all at
// once and time-limited, so a dead module costs seconds at most and never holds up other IPC calls
// (the handler only awaits sockets; the router serves other channels meanwhile).
import type { ChecksRunView, RequestOf } from '../../shared/ipc/contract';
import { createModuleProbe } from '../core/checks/module-probe';
import { checkVirtualProxies } from '../core/checks/virtual-proxy-checks';
import { BackendError } from './backend-error';
import { siteOf, type BackendContext } from './backend-context';
import { serviceBaseUrl } from '../core/qlik/base-url';

/** As `usher check`: long enough for a slow module to answer, short enough to wait for in a window. */
export const MODULE_PROBE_TIMEOUT_MS = 5_000;

export class ChecksService {
  constructor(
    private readonly ctx: BackendContext,
    private readonly options: { probeTimeoutMs?: number } = {},
  ) {}

  async run(req: RequestOf<'checks.run'>): Promise<ChecksRunView> {
    const started = performance.now();
    const origin = req.origin === undefined ? undefined : originOf(req.origin);
    const profile = await this.ctx.profiles.get(req.profileId);
    const { connection, caPem } = await siteOf(this.ctx, profile);
    const qrs = connection.qrs(serviceBaseUrl(profile.qrs, 'qrs'));
    const [virtualProxies, proxyServices] = await Promise.all([qrs.virtualProxies(), qrs.proxyServices()]);
    // Modules often sit on the Qlik server with the site's certificate: the site CA is trusted too.
    const probe = req.probe ? createModuleProbe({ caPem, timeoutMs: this.options.probeTimeoutMs ?? MODULE_PROBE_TIMEOUT_MS }) : undefined;
    try {
      const findings = await checkVirtualProxies({
        virtualProxies,
        proxyServices,
        ...(origin !== undefined ? { origin } : {}),
        ...(probe ? { probeModule: probe.probe } : {}),
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
}

/** `https://portal.example.com` of whatever https address was given (a pasted page URL works too). */
function originOf(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'https:' || !url.hostname) {
    throw new BackendError('INVALID_ORIGIN', `${value} is not an https:// origin.`, "Give the mashup's origin, for example https://portal.example.com.");
  }
  return url.origin;
}
