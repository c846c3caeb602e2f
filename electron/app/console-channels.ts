// The console's channel table: each IPC channel of shared/ipc/contract.ts and the service method that
// answers it. The router (electron/ipc) has checked the request against the channel's schema before it
// gets here. A new channel is one line here (and its contract entry); its work lives in a service.
import { maskSecret } from '../../shared/redact';
import { loadCertificateSet, validateCertificateSet } from '../core/certs';
import type { Handlers } from '../ipc/router';
import type { AuditService } from './audit-service';
import type { BackendContext } from './backend-context';
import { BackendError } from './backend-error';
import type { ChecksService } from './checks-service';
import type { ConsoleState } from './console-state';
import type { ExportService } from './export-service';
import type { InspectorService } from './inspector-service';
import type { JwtService } from './jwt-service';
import type { LoginAsService } from './login-as-service';
import type { PartitionsService } from './partitions-service';
import type { ProfilesService } from './profiles-service';
import type { SessionInjectService } from './session-inject-service';
import type { SharedJarService } from './shared-jar-service';
import type { TicketService } from './ticket-service';
import type { TrustService } from './trust-service';
import type { ValidatorService } from './validator-service';

/** A host's picker: the chosen path, or undefined when the person cancelled. */
export type FileChooser = (what: 'folder' | 'pem' | 'pfx') => Promise<string | undefined>;

/** Everything the channels call, built by createConsoleBackend. */
export interface ConsoleServices {
  ctx: BackendContext;
  state: ConsoleState;
  clipboard: (text: string) => Promise<void>;
  chooseFile: FileChooser;
  exports: ExportService;
  profiles: ProfilesService;
  trust: TrustService;
  tickets: TicketService;
  audit: AuditService;
  checks: ChecksService;
  sessionInject: SessionInjectService;
  loginAs: LoginAsService;
  partitions: PartitionsService;
  inspector: InspectorService;
  validator: ValidatorService;
  sharedJar: SharedJarService;
  jwt: JwtService;
}

export function channelHandlers(s: ConsoleServices): Handlers {
  const { ctx } = s;
  return {
    'app.state': async () => s.state.view(),
    'profiles.list': () => s.profiles.list(),
    'profiles.select': ({ id }) => s.profiles.select(id),
    'profiles.removalPlan': ({ id }) => s.profiles.removalPlan(id),
    'profiles.remove': ({ id }) => s.profiles.remove(id),
    'profiles.rename': ({ id, name }) => s.profiles.rename(id, name),
    'profiles.setAddresses': ({ id, qps, qrs }) => s.profiles.setAddresses(id, { qps, qrs }),
    'profiles.export': ({ id }) => s.profiles.exportProfile(id),
    'profiles.import': ({ text, name }) => s.profiles.importProfile(text, name),
    'profiles.replaceCertificates': (request) => s.trust.replaceCertificates(request),
    'profiles.saveFromTrust': (request) => s.trust.saveFromTrust(request),
    'trust.run': (request) => s.trust.run(request),

    'certs.inspect': async ({ input, passphrase }) => validateCertificateSet(await loadCertificateSet(input, passphrase !== undefined ? { passphrase } : {})),

    'demo.export': async () => {
      const { demo } = ctx;
      if (!demo.running) throw new BackendError('NOT_ALLOWED', 'The demo site is not running.', 'Restart Usher to start it again.');
      const path = await demo.writeExport();
      // The PFX passphrase is the demo's, but the rule holds for every passphrase: it never crosses IPC.
      return { path, pfxPassphraseHint: 'use the PEM files', qps: demo.central.qps, qrs: demo.central.qrs };
    },

    'files.choose': async ({ what }) => {
      const path = await s.chooseFile(what);
      return path === undefined ? {} : { path };
    },

    'files.save': (request) => s.exports.save(request),

    'tickets.request': (request) => s.tickets.request(request),
    'tickets.copy': (request) => s.tickets.copy(request),
    'tickets.open': (request) => s.tickets.open(request),

    'requestLog.list': async ({ filter }) => ({ records: ctx.requestLog.list(filter) }),
    'requestLog.copy': async ({ id, format }) => {
      const command = ctx.requestLog.command(Number(id), format);
      if (!command) throw new BackendError('NOT_FOUND', `Request ${id} is not in the log.`, 'The log keeps the last 500 calls: pick one from the list.');
      // Copied here, like a ticket: the command holds the real session ids, which the renderer never sees.
      await s.clipboard(command.text);
      return { copied: true, preview: command.preview };
    },

    'audit.list': (request) => s.audit.list(request),
    'checks.run': (request) => s.checks.run(request),
    'sessions.inject': (request) => s.sessionInject.inject(request),
    'login.as': (request) => s.loginAs.login(request),
    'partitions.list': () => s.partitions.list(),
    'partitions.copyCookie': async (request) => {
      const value = await s.partitions.cookieValue(request);
      // Copied here, like a ticket: a session cookie's value is a live login and never reaches the renderer.
      await s.clipboard(value);
      return { copied: true, valueMasked: maskSecret(value) };
    },
    'partitions.clear': ({ partitionId }) => s.partitions.clear(partitionId),
    'partitions.close': ({ partitionId }) => s.partitions.close(partitionId),
    'partitions.focus': ({ partitionId }) => s.partitions.focus(partitionId),
    'partitions.destroy': ({ partitionId }) => s.partitions.destroy(partitionId),
    'sessions.inspect': (request) => s.inspector.inspect(request),
    'sessions.end': (request) => s.inspector.end(request),
    'validator.start': (request) => s.validator.start(request),
    'validator.run': (request) => s.validator.run(request),
    'validator.cancel': (request) => s.validator.cancel(request),
    'validator.copyPassphrase': (request) => s.validator.copyPassphrase(request),
    'scenario.sharedJar': (request) => s.sharedJar.run(request),
    'jwt.show': (request) => s.jwt.show(request),
    'jwt.keygen': (request) => s.jwt.keygen(request),
    'jwt.mint': (request) => s.jwt.mint(request),
    'jwt.copy': async ({ tokenId }) => {
      const token = s.jwt.token(tokenId);
      // Copied here, like a ticket: the token logs the user in, so the renderer never holds it.
      await s.clipboard(token);
      return { copied: true, preview: `${token.slice(0, 12)}…` };
    },
    'jwt.verify': (request) => s.jwt.verify(request),
  };
}
