// The desktop console's backend, composed: the shared context (vault, profiles, demo site, connections,
// request log, partitions), the services over the same core the CLI uses, and the channel table
// (console-channels.ts) the router serves. Both browser hosts (electron, chromium) run this unchanged;
// the router in electron/ipc validates requests before they get here and turns thrown errors (anything
// with a code and a hint) into typed results. Secrets stay here: the renderer sees reports, masked
// tickets and redacted request records only.
import type { EventName, EventTypes } from '../../shared/ipc/contract';
import { AuditLog, ProfileStore } from '../core/profiles';
import { DEMO_PROFILE_ID } from '../core/profiles/demo-profile';
import { VAULT_PASSPHRASE_ENV, Vault, type Keychain, type VaultPassphraseSource } from '../core/vault';
import type { BrowserHost } from '../hosts/browser-host';
import type { Handlers } from '../ipc/router';
import type { SitePki } from '../simulator/site-pki';
import { AuditService } from './audit-service';
import { ChecksService } from './checks-service';
import { channelHandlers, type ConsoleServices, type FileChooser } from './console-channels';
import { BackendError } from './backend-error';
import { ConsoleState } from './console-state';
import { downloadsFolderSaver, ExportService, type FileSaver } from './export-service';
import type { BackendContext } from './backend-context';
import { BackendEvents } from './backend-events';
import { DemoSiteRunner } from './demo-site-runner';
import { InspectorService, partitionHolders, type HoldersSource } from './inspector-service';
import { PartitionManager } from './partition-manager';
import { PartitionsService } from './partitions-service';
import { ProfilesService } from './profiles-service';
import { SessionInjectService } from './session-inject-service';
import { LoginAsService } from './login-as-service';
import { JwtService } from './jwt-service';
import { JwtKeyStore } from '../core/jwt/key-store';
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
  /** The host's native picker (Electron's dialog); none: `files.choose` answers NOT_ALLOWED. */
  chooseFile?: FileChooser;
  /** The host's save dialog (Electron's). None: exports go into `exportsDir` under a free name. */
  saveFile?: FileSaver;
  /** Where exports go without a save dialog. Default: the account's Downloads folder, else `exports` in dataDir. */
  exportsDir?: string;
  /** Epoch milliseconds, for ticket expiry and trust-run retention. Tests move it. */
  now?: () => number;
  /** The demo site's PKI (tests share one: RSA key generation is slow). Default: a fresh one. */
  demoPki?: SitePki;
  /** The demo site's /ticket module (tests that run a stand-in on a free port). Default DEMO_AUTH_MODULE_URI. */
  demoAuthModuleUri?: string;
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

/** The services behind the channels, each handed the part of the context it needs. */
function composeServices(ctx: BackendContext, options: ConsoleBackendOptions, tickets: TicketStore, runs: TrustRuns): ConsoleServices {
  const state = new ConsoleState(options.hostKind, ctx.vault, ctx.demo, ctx.events);
  const clipboard = options.clipboard ?? ((text: string) => options.host.writeClipboard(text));
  const sessionInject = new SessionInjectService(ctx);
  // The inspector marks each session a console partition holds.
  const sessionHolders: HoldersSource = () => partitionHolders(ctx.partitions);
  const inspector = new InspectorService(ctx, sessionHolders);
  const ticketService = new TicketService(ctx, tickets, clipboard, (failed) => inspector.explainNotEstablished(failed));
  const jwt = new JwtService(ctx, new JwtKeyStore(options.dataDir, async () => ctx.vault));
  const checks = new ChecksService(ctx, {
    ...(options.moduleProbeTimeoutMs !== undefined ? { probeTimeoutMs: options.moduleProbeTimeoutMs } : {}),
    jwtCertificate: (profileId) => jwt.heldCertificate(profileId),
  });
  return {
    ctx,
    state,
    clipboard,
    chooseFile:
      options.chooseFile ??
      (async () => {
        throw new BackendError('NOT_ALLOWED', 'This console has no native file picker.', 'Type the path, or drop the files on the Trust section.');
      }),
    profiles: new ProfilesService(ctx, state),
    trust: new TrustService(ctx, runs),
    tickets: ticketService,
    audit: new AuditService(ctx.audit),
    checks,
    exports: new ExportService(ctx, checks, options.saveFile ?? downloadsFolderSaver(options.dataDir, options.exportsDir)),
    sessionInject,
    loginAs: new LoginAsService(ctx, ticketService, { jwt: (input) => jwt.credential(input) }),
    jwt,
    partitions: new PartitionsService(ctx),
    inspector,
    sharedJar: new SharedJarService(ctx),
    validator: new ValidatorService({
      host: options.host,
      events: ctx.events,
      clipboard,
      startSite: options.validator?.startSite ?? startValidationSite,
      dataDir: options.dataDir,
      ...(options.validator?.scriptTimeoutMs !== undefined ? { scriptTimeoutMs: options.validator.scriptTimeoutMs } : {}),
      ...(options.validator?.windowTimeoutMs !== undefined ? { windowTimeoutMs: options.validator.windowTimeoutMs } : {}),
    }),
  };
}

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
  // The demo profile's JWT pair, when Usher holds one, is on the built-in site's /jwt as if pasted.
  const demoJwt = await new JwtKeyStore(options.dataDir, async () => vault).held(DEMO_PROFILE_ID).catch(() => undefined);
  const demo = await DemoSiteRunner.start({
    ...(options.demoPki ? { pki: options.demoPki } : {}),
    ...(options.demoAuthModuleUri ? { authModuleUri: options.demoAuthModuleUri } : {}),
    ...(demoJwt ? { jwtCertificatePem: demoJwt.certificatePem } : {}),
  });

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
  const services = composeServices(ctx, options, tickets, runs);
  const sweeper = setInterval(() => {
    tickets.sweep();
    runs.sweep();
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();

  const handlers = channelHandlers(services);
  let closed = false;
  return {
    handlers,
    events: { on: (event, listener) => events.on(event, listener) },
    partitions: ctx.partitions,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      runs.clear();
      await services.validator.close();
      await services.tickets.closePages();
      await ctx.partitions.closeAll();
      await connections.closeAll();
      await demo.stop();
      services.state.changed();
      events.clear();
    },
  };
}
