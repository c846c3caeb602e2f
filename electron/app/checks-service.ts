// The checks screen's face: the profile's site through the console's connection (so the calls show in
// the request log), checked by the core's virtual proxy checks, the operation `usher check` runs too.
// Authentication modules are probed only when asked; the handler only awaits sockets, so the router
// serves other channels meanwhile. Each site's last run is kept (findings only, nothing secret) so the
// console can save it as Markdown or JUnit: the file is rendered here from the run itself, never from
// text the renderer hands back.
import { randomUUID } from 'node:crypto';
import type { ChecksRunView, RequestOf } from '../../shared/ipc/contract';
import type { ChecksReport } from '../core/exports/checks-report';
import { mashupOrigin, runVirtualProxyChecks } from '../core/operations/check-virtual-proxies';
import { serviceBaseUrl } from '../core/qlik/base-url';
import { siteOf, type BackendContext } from './backend-context';
import { BackendError } from './backend-error';

/** A kept run: the report the exports render, and the site and time for the file's name. */
export interface KeptChecksRun {
  profileId: string;
  report: ChecksReport;
  finishedAt: Date;
}

export class ChecksService {
  /** profile id -> its last run; one per site, replaced by the next, so memory stays bounded by the sites. */
  private readonly lastRuns = new Map<string, KeptChecksRun & { runId: string }>();

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
    const result = await runVirtualProxyChecks({
      connection,
      ...(jwtSigningCertificatePem !== undefined ? { jwtSigningCertificatePem } : {}),
      qrs: serviceBaseUrl(profile.qrs, 'qrs'),
      caPem,
      ...(origin !== undefined ? { origin } : {}),
      probe: req.probe,
      ...(this.options.probeTimeoutMs !== undefined ? { probeTimeoutMs: this.options.probeTimeoutMs } : {}),
    });
    const runId = randomUUID();
    const properties = [
      { name: 'site', value: profile.name },
      { name: 'qrs', value: profile.qrs },
      ...(origin !== undefined ? [{ name: 'mashup origin', value: origin }] : []),
      { name: 'modules probed', value: req.probe ? 'yes' : 'no' },
    ];
    this.lastRuns.set(profile.id, {
      runId,
      profileId: profile.id,
      finishedAt: new Date(),
      report: { checked: result.checked.map((vp) => vp.prefix), findings: result.findings, properties, durationMs: result.durationMs },
    });
    return { runId, ...result };
  }

  /** The run `runId`, while it is its site's last one. */
  keptRun(runId: string): KeptChecksRun {
    for (const run of this.lastRuns.values()) if (run.runId === runId) return run;
    throw new BackendError(
      'RUN_NOT_FOUND',
      'Those check results are no longer held: a newer run of the site replaced them.',
      'Run the checks again, then export.',
    );
  }
}
