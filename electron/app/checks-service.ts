// The checks screen's face: the profile's site through the console's connection (so the calls show in
// the request log), checked by the core's virtual proxy checks, the operation `usher check` runs too.
// Authentication modules are probed only when asked; the handler only awaits sockets, so the router
// serves other channels meanwhile.
import type { ChecksRunView, RequestOf } from '../../shared/ipc/contract';
import { mashupOrigin, runVirtualProxyChecks } from '../core/operations/check-virtual-proxies';
import { serviceBaseUrl } from '../core/qlik/base-url';
import { siteOf, type BackendContext } from './backend-context';

export class ChecksService {
  constructor(
    private readonly ctx: BackendContext,
    /** `jwtCertificate`: the certificate of the profile's JWT signing pair, for the key-mismatch rule. */
    private readonly options: { probeTimeoutMs?: number; jwtCertificate?: (profileId: string) => Promise<string | undefined> } = {},
  ) {}

  async run(req: RequestOf<'checks.run'>): Promise<ChecksRunView> {
    // A bad origin is refused before the profile is looked up or the site asked.
    const origin = req.origin === undefined ? undefined : mashupOrigin(req.origin);
    const profile = await this.ctx.profiles.get(req.profileId);
    const { connection, caPem } = await siteOf(this.ctx, profile);
    const jwtSigningCertificatePem = await this.options.jwtCertificate?.(profile.id);
    return runVirtualProxyChecks({
      connection,
      ...(jwtSigningCertificatePem !== undefined ? { jwtSigningCertificatePem } : {}),
      qrs: serviceBaseUrl(profile.qrs, 'qrs'),
      caPem,
      ...(origin !== undefined ? { origin } : {}),
      probe: req.probe,
      ...(this.options.probeTimeoutMs !== undefined ? { probeTimeoutMs: this.options.probeTimeoutMs } : {}),
    });
  }
}
