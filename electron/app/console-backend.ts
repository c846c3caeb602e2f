// The desktop console's backend: one handler per IPC channel over the same core the CLI uses, plus the
// events the renderer subscribes to. Both browser hosts (electron, chromium) run this unchanged; the
// router in electron/ipc validates requests before they get here and turns thrown errors (anything with
// a code and a hint) into typed results. Secrets stay here: the renderer sees reports, masked tickets
// and redacted request records only.
import type { AppState, EventName, EventTypes } from '../../shared/ipc/contract';
import { loadCertificateSet, validateCertificateSet } from '../core/certs';
import { AuditLog, ProfileStore } from '../core/profiles';
import { DEMO_PROFILE_ID } from '../core/profiles/demo-profile';
import { VAULT_PASSPHRASE_ENV, Vault, type Keychain, type VaultPassphraseSource } from '../core/vault';
import type { BrowserHost } from '../hosts/browser-host';
import type { Handlers } from '../ipc/router';
import type { SitePki } from '../simulator/site-pki';
import { AuditService } from './audit-service';
import { BackendError } from './backend-error';
import { ChecksService } from './checks-service';
import type { BackendContext } from './backend-context';
import { BackendEvents } from './backend-events';
import { DemoSiteRunner } from './demo-site-runner';
import { InspectorService, partitionHolders, type HoldersSource } from './inspector-service';
import { PartitionManager } from './partition-manager';
import { PartitionsService } from './partitions-service';
import { SessionInjectService } from './session-inject-service';
import { LoginAsService } from './login-as-service';
import { SharedJarService } from './shared-jar-service';
import { RequestLogStore } from './request-log-store';
import { SiteConnections } from './site-connections';
import { TicketStore } from './ticket-store';
import { TicketService } from './ticket-service';
import { TrustRuns } from './trust-runs';
import { TrustService } from './trust-service';
import { ValidatorService } from './validator-service';
import { startValidationSite } from '../simulator/validation-site';
import type { ValidationSiteFactory } from '../core/validator';

export interface ConsoleBackendOptions {
  /** The app data folder (Electron's userData; the CLI's usherDataDir()). */
  dataDir: string;
  host: BrowserHost;
  hostKind: 'electron' | 'chromium';
  /** Default: the OS keychain. Tests pass a MemoryKeychain. */
  keychain?: Keychain;
  /** The vault passphrase when there is no keychain. Default: USHER_VAULT_PASSPHRASE (the console has no terminal to ask on). */
  passphrase?: VaultPassphraseSource;
  /** Default: host.writeClipboard. */
  clipboard?: (text: string) => Promise<void>;
  /** Epoch milliseconds, for ticket expiry and trust-run retention. Tests move it. */
  now?: () => number;
  /** The demo site's PKI (tests share one: RSA key generation is slow). Default: a fresh one. */
  demoPki?: SitePki;
  /** How long the checks wait for an authentication module. Default: MODULE_PROBE_TIMEOUT_MS. */
  moduleProbeTimeoutMs?: number;
  /** The module validator's site and time limits (tests share a PKI and shorten the login wait). */
  validator?: { startSite?: ValidationSiteFactory; scriptTimeoutMs?: number; windowTimeoutMs?: number };
}

export interface ConsoleBackend {
  handlers: Handlers;
  events: { on<E extends EventName>(event: E, listener: (payload: EventTypes[E]) => void): () => void };
  /** The partitions of this run (main process only: its snapshots and holders carry session ids). */
  partitions: PartitionManager;
  close(): Promise<void>;
}

/** Sweeps expired tickets and trust runs even when nobody asks for them, so key material does not linger. */
const SWEEP_INTERVAL_MS = 60_000;

export async function createConsoleBackend(options: ConsoleBackendOptions): Promise<ConsoleBackend> {
  const now = options.now ?? Date.now;
  const events = new BackendEvents();
  const requestLog = new RequestLogStore((record) => events.emit('requestLog.record', record));
  const connections = new SiteConnections((record, replay) => requestLog.add(record, replay));
  const vault = await Vault.open({
    dir: options.dataDir,
    ...(options.keychain ? { keychain: options.keychain } : {}),
    passphrase: options.passphrase ?? (async () => process.env[VAULT_PASSPHRASE_ENV] || undefined),
  });
  const demo = await DemoSiteRunner.start(options.demoPki ? { pki: options.demoPki } : {});

  let ctx: BackendContext;
  try {
    // The demo profile needs the running site's addresses and discovery, so the store is made after it.
    const demoConnection = (await connections.get(DEMO_PROFILE_ID, async () => demo.material)).connection;
    const profiles = new ProfileStore(options.dataDir, { builtIns: [await demo.profile(demoConnection, new Date(now()))] });
    const partitions = new PartitionManager({
      host: options.host,
      dataDir: options.dataDir,
      cookieConfig: async (profileId) => (await profiles.get(profileId)).virtualProxies,
      now,
    });
    // Persistent partitions an earlier run left unrecorded are deleted before anything opens.
    await partitions.start();
    ctx = { host: options.host, vault, profiles, audit: new AuditLog(options.dataDir), demo, connections, requestLog, events, now, partitions };
  } catch (err) {
    await connections.closeAll();
    await demo.stop();
    throw err;
  }

  const tickets = new TicketStore({ now });
  const runs = new TrustRuns({ now });
  const trustService = new TrustService(ctx, runs);
  const auditService = new AuditService(ctx.audit);
  const partitionsService = new PartitionsService(ctx);
  const sessionInjectService = new SessionInjectService(ctx);
  // The inspector marks each session a console partition holds.
  const sessionHolders: HoldersSource = () => partitionHolders(ctx.partitions);
  const inspectorService = new InspectorService(ctx, sessionHolders);
  const sharedJarService = new SharedJarService(ctx);
  const checksService = new ChecksService(ctx, options.moduleProbeTimeoutMs !== undefined ? { probeTimeoutMs: options.moduleProbeTimeoutMs } : {});
  const clipboard = options.clipboard ?? ((text: string) => options.host.writeClipboard(text));
  const ticketService = new TicketService(ctx, tickets, clipboard, (failed) =>
    inspectorService.explainNotEstablished(failed),
  );
  const loginAsService = new LoginAsService(ctx, ticketService, sessionInjectService);
  const validatorService = new ValidatorService({
    host: options.host,
    events,
    clipboard,
    startSite: options.validator?.startSite ?? startValidationSite,
    dataDir: options.dataDir,
    ...(options.validator?.scriptTimeoutMs !== undefined ? { scriptTimeoutMs: options.validator.scriptTimeoutMs } : {}),
    ...(options.validator?.windowTimeoutMs !== undefined ? { windowTimeoutMs: options.validator.windowTimeoutMs } : {}),
  });
  const sweeper = setInterval(() => {
    tickets.sweep();
    runs.sweep();
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();

  let activeProfileId = DEMO_PROFILE_ID;
  let closed = false;

  const appState = (): AppState => ({
    host: options.hostKind,
    vault: vault.mode.kind === 'keychain' ? { kind: 'keychain', keychain: vault.mode.keychain } : { kind: 'memory', reason: vault.mode.reason },
    activeProfileId,
    demo: {
      running: demo.running,
      nodes: demo.running ? demo.nodes.map((n) => ({ name: n.name, hub: n.hub, qps: n.qps, qrs: n.qrs })) : [],
    },
  });
  const stateChanged = (): void => events.emit('app.state', appState());

  const handlers: Handlers = {
    'app.state': async () => appState(),

    'profiles.list': async () => {
      const { profiles, problems } = await ctx.profiles.list();
      return { profiles, problems: problems.map((p) => ({ file: p.file, reason: p.reason })), activeProfileId };
    },

    'profiles.select': async ({ id }) => {
      const profile = await ctx.profiles.get(id);
      if (profile.id !== activeProfileId) {
        activeProfileId = profile.id;
        stateChanged();
      }
      return { activeProfileId };
    },

    'profiles.remove': async ({ id }) => {
      const profile = await ctx.profiles.get(id);
      if (profile.builtIn) {
        throw new BackendError('NOT_ALLOWED', `"${profile.name}" is the built-in demo site and cannot be removed.`, 'Only sites you added can be removed.');
      }
      await ctx.profiles.remove(profile.id);
      if (profile.certificates) await vault.remove(profile.certificates.bundleId);
      await connections.drop(profile.id);
      if (activeProfileId === profile.id) {
        activeProfileId = DEMO_PROFILE_ID;
        stateChanged();
      }
      return { removed: profile.id };
    },

    'certs.inspect': async ({ input, passphrase }) => {
      const set = await loadCertificateSet(input, passphrase !== undefined ? { passphrase } : {});
      return validateCertificateSet(set);
    },

    'demo.export': async () => {
      if (!demo.running) throw new BackendError('NOT_ALLOWED', 'The demo site is not running.', 'Restart Usher to start it again.');
      const path = await demo.writeExport();
      const central = demo.central;
      // The PFX passphrase is the demo's, but the rule holds for every passphrase: it never crosses IPC.
      return { path, pfxPassphraseHint: 'use the PEM files', qps: central.qps, qrs: central.qrs };
    },

    'trust.run': (request) => trustService.run(request),
    'profiles.saveFromTrust': (request) => trustService.saveFromTrust(request),
    'tickets.request': (request) => ticketService.request(request),
    'tickets.copy': (request) => ticketService.copy(request),
    'tickets.open': (request) => ticketService.open(request),

    'requestLog.list': async ({ filter }) => ({ records: requestLog.list(filter) }),

    'requestLog.copy': async ({ id, format }) => {
      const command = requestLog.command(Number(id), format);
      if (!command) {
        throw new BackendError('NOT_FOUND', `Request ${id} is not in the log.`, 'The log keeps the last 500 calls: pick one from the list.');
      }
      // Copied here, like a ticket: the command holds the real session ids, which the renderer never sees.
      await clipboard(command.text);
      return { copied: true, preview: command.preview };
    },

    'audit.list': (request) => auditService.list(request),
    'checks.run': (request) => checksService.run(request),
    'sessions.inject': (request) => sessionInjectService.inject(request),
    'login.as': (request) => loginAsService.login(request),
    'partitions.list': () => partitionsService.list(),
    'partitions.revealCookie': (request) => partitionsService.reveal(request),
    'partitions.clear': ({ partitionId }) => partitionsService.clear(partitionId),
    'partitions.close': ({ partitionId }) => partitionsService.close(partitionId),
    'partitions.destroy': ({ partitionId }) => partitionsService.destroy(partitionId),
    'sessions.inspect': (request) => inspectorService.inspect(request),
    'sessions.end': (request) => inspectorService.end(request),
    'validator.start': (request) => validatorService.start(request),
    'validator.run': (request) => validatorService.run(request),
    'validator.cancel': (request) => validatorService.cancel(request),
    'validator.copyPassphrase': (request) => validatorService.copyPassphrase(request),
    'scenario.sharedJar': (request) => sharedJarService.run(request),
  };

  return {
    handlers,
    events: { on: (event, listener) => events.on(event, listener) },
    partitions: ctx.partitions,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      runs.clear();
      await validatorService.close();
      await ticketService.closePages();
      await ctx.partitions.closeAll();
      await connections.closeAll();
      await demo.stop();
      stateChanged();
      events.clear();
    },
  };
}
