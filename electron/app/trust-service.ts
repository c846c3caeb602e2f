// The trust wizard's backend: the trust check with its steps streamed as events, and "save as profile"
// from a finished run (the certificate set the run loaded goes to the vault, never to the renderer).
import { checkTrust } from '../core/operations/trust-check';
import type { RequestOf, TrustRunView } from '../../shared/ipc/contract';
import type { Profile } from '../../shared/profile';
import { validateProfile } from '../../shared/profile';
import type { TrustCheckResult } from '../core/checks/trust-check';
import { ProfileError } from '../core/profiles';
import { createProfileWithCertificates, replaceProfileCertificates } from '../core/profiles/certificate-bundle';
import type { CertificateSet } from '../core/certs';
import { profileFromTrustCheck } from '../core/profiles/from-trust-check';
import { BackendError } from './backend-error';
import type { BackendContext } from './backend-context';
import { serviceBaseUrl } from '../core/qlik/base-url';
import type { TrustRun, TrustRuns } from './trust-runs';

/** What the renderer may see of a run: steps, the certificate report, what discovery found. */
function runView(runId: string, result: TrustCheckResult): TrustRunView {
  const view: TrustRunView = {
    runId,
    ok: result.ok,
    steps: result.steps,
    nodes: (result.nodes ?? []).map((n) => ({ name: n.nodeName, hostName: n.hostName, qps: n.qpsBaseUrl, virtualProxies: n.prefixes })),
    virtualProxies: (result.virtualProxies ?? []).map((vp) => ({
      prefix: vp.prefix,
      description: vp.description,
      authenticationMethod: vp.authenticationMethod,
      sessionCookieHeaderName: vp.sessionCookieHeaderName,
    })),
  };
  if (result.certificates) view.certificates = result.certificates;
  return view;
}

export class TrustService {
  constructor(
    private readonly ctx: BackendContext,
    private readonly runs: TrustRuns,
  ) {}

  async run(req: RequestOf<'trust.run'>): Promise<TrustRunView> {
    const runId = this.runs.newId();
    const qps = serviceBaseUrl(req.qps, 'qps');
    const qrs = serviceBaseUrl(req.qrs, 'qrs');
    const test = req.ticketTest;
    // The site is not saved yet: the audit log and the request log name it by its QPS address.
    const site = `(trust check ${new URL(qps).host})`;
    const result = await checkTrust(
      {
        certificates: { from: 'files', input: req.input, ...(req.passphrase !== undefined ? { passphrase: req.passphrase } : {}) },
        qps,
        qrs,
        ...(test ? { ticketTest: { user: { userDirectory: test.userDirectory, userId: test.userId }, virtualProxy: test.virtualProxy } } : {}),
        // The test ticket and its session are real: they go to the audit log like any other.
        audit: { log: this.ctx.audit, profile: site },
        // The check's own QPS/QRS calls belong in the console's request log like every other call.
        onRecord: (record, replay) => this.ctx.requestLog.add({ ...record, site }, replay),
      },
      (step) => this.ctx.events.emit('trust.step', { runId, step }),
    );
    this.runs.put(runId, { qps, qrs, result });
    return runView(runId, result);
  }

  async saveFromTrust(req: RequestOf<'profiles.saveFromTrust'>): Promise<Profile> {
    const run = this.runs.get(req.runId);
    const set = this.savableSet(run, req.memoryOnly);
    await this.assertNew(req.name);
    const profile = profileFromTrustCheck({
      name: req.name,
      qps: run.qps,
      qrs: run.qrs,
      defaultVirtualProxy: req.defaultVirtualProxy,
      defaultUserDirectory: req.defaultUserDirectory,
      result: run.result,
      now: new Date(this.ctx.now()),
    });
    // Checked before the vault is touched, so a bad field never leaves an orphan bundle behind.
    const checked = validateProfile(profile);
    if (!checked.ok) {
      throw new ProfileError(
        'INVALID',
        `The profile is invalid: ${checked.errors.slice(0, 2).join('; ')}`,
        'Correct the fields named and save again.',
        checked.errors,
      );
    }
    let saved: Profile;
    try {
      // A free id of its own ("Prod/EU" next to "Prod EU" becomes prod-eu-2); never another's bundle.
      saved = await createProfileWithCertificates(this.ctx.profiles, this.ctx.vault, profile, set);
    } catch (err) {
      // The name was taken meanwhile (another window, or `usher profile add` in a terminal).
      if (err instanceof ProfileError && err.code === 'NAME_TAKEN') throw new BackendError('PROFILE_EXISTS', err.message, err.hint);
      throw err;
    }
    // Saved: the vault holds the set now; no second copy stays in memory.
    this.runs.markSaved(run.id, saved.name);
    await this.ctx.connections.drop(saved.id);
    return saved;
  }

  /**
   * New certificates for a saved site from a run against that site's own QPS (as `usher profile add
   * --replace`): the set goes to the vault under a new bundle, then the old bundle is removed.
   */
  async replaceCertificates(req: RequestOf<'profiles.replaceCertificates'>): Promise<Profile> {
    const run = this.runs.get(req.runId);
    const profile = await this.ctx.profiles.get(req.id);
    if (profile.builtIn) {
      throw new BackendError(
        'NOT_ALLOWED',
        `"${profile.name}" is the built-in demo site: its certificates are made at every start.`,
        'Re-import certificates for a site you added.',
      );
    }
    if (run.qps !== profile.qps) {
      throw new BackendError(
        'NOT_ALLOWED',
        `Not replaced: the trust check ran against ${run.qps}, not against ${profile.name}'s QPS ${profile.qps}.`,
        "Run the check against the site's own address (or change its addresses first), then replace.",
      );
    }
    const set = this.savableSet(run, req.memoryOnly);
    const saved = await replaceProfileCertificates(this.ctx.profiles, this.ctx.vault, profile, set);
    this.runs.delete(run.id);
    // Connections hold the old client certificate in their TLS agent.
    await this.ctx.connections.drop(saved.id);
    return saved;
  }

  /** The run's certificate set when it may be stored: readable files, and a keychain (or memory chosen). */
  private savableSet(run: TrustRun, memoryOnly: boolean | undefined): CertificateSet {
    const fatal = run.result.steps.find((s) => (s.id === 'files' || s.id === 'chain') && s.status === 'fail');
    const set = run.result.set;
    if (fatal || !set) {
      throw new BackendError(
        'NOT_ALLOWED',
        `Not saved: ${fatal?.cause ?? 'the certificates could not be read'}.`,
        fatal?.fix ?? 'Fix the certificates, run the trust check again, then save.',
      );
    }
    if (this.ctx.vault.mode.kind === 'memory' && memoryOnly !== true) {
      throw new BackendError(
        'NOT_ALLOWED',
        'Not saved: there is no usable keychain, so the certificates would be kept in memory only and be lost when Usher closes.',
        'Choose "Save for this session only" to save anyway, or restart Usher with a keychain (or USHER_VAULT_PASSPHRASE set).',
      );
    }
    return set;
  }

  /**
   * The wizard makes new profiles; replacing a site's certificates under an old name is a separate act.
   * Checked before the vault is touched; the store checks again under the write lock.
   */
  private async assertNew(name: string): Promise<void> {
    const existing = await this.ctx.profiles.get(name).catch(() => undefined);
    if (existing) {
      throw new BackendError(
        'PROFILE_EXISTS',
        `A profile ${existing.name === name ? `"${existing.name}"` : `"${existing.name}" (id ${existing.id})`} already exists.`,
        existing.builtIn ? 'Choose another name: the demo profile is built in.' : 'Choose another name, or remove that profile first.',
      );
    }
  }
}
