// A connection to one Qlik Sense site: its pinned CA and client certificate, one undici Agent for all
// its nodes, the request log. QPS and QRS clients for any node of the site come from here.
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { Agent } from 'undici';
import { undici } from '../undici';
import { errorMessage } from '../error-text';
import { QlikError, badClientCert } from './errors';
import { serviceBaseUrl } from './base-url';
import { QlikTransport } from './http';
import { QpsApi, normalizePrefix, parseQpsAddress } from './qps';
import { DEFAULT_QRS_USER, QrsApi } from './qrs';
import { RequestLog, type RequestRecord } from './request-log';
import { describeCertificate } from './tls-diagnosis';
import type { ClientCertificate, ConnectionOptions, QpsClient, QrsClient } from './types';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
export const DEFAULT_LOG_SIZE = 500;

/** How long an idle pooled connection is kept: long enough for a burst of calls, short enough not to linger. */
const KEEP_ALIVE_MS = 10_000;

type TlsMaterial = Pick<tls.SecureContextOptions, 'ca' | 'cert' | 'key' | 'passphrase' | 'pfx'>;

function tlsMaterial(ca: string, client: ClientCertificate): TlsMaterial {
  if ('pfx' in client) return { ca, pfx: client.pfx, passphrase: client.passphrase };
  return { ca, cert: client.certPem, key: client.keyPem, passphrase: client.keyPassphrase ?? client.passphrase };
}

/**
 * Builds the TLS context once, up front, so that an unusable certificate, key or passphrase is reported
 * when the profile is loaded, with the reason, rather than as a vague failure on the first call.
 */
function buildSecureContext(ca: string, client: ClientCertificate): tls.SecureContext {
  try {
    new X509Certificate(ca);
  } catch (err) {
    throw badClientCert(
      'the site CA (root.pem) is not a PEM certificate',
      'Use root.pem from the QMC certificate export (Certificates > Export), the file that starts with -----BEGIN CERTIFICATE-----.',
      err,
    );
  }
  try {
    return tls.createSecureContext(tlsMaterial(ca, client));
  } catch (err) {
    throw explainBadClientCert(err, client);
  }
}

function explainBadClientCert(err: unknown, client: ClientCertificate): QlikError {
  const code = (err as { code?: string }).code ?? '';
  const message = errorMessage(err);
  if ('pfx' in client) {
    if (/mac verify failure/i.test(message)) {
      return badClientCert(
        'the PFX passphrase is wrong (or client.pfx is damaged)',
        'Type the passphrase chosen when the certificates were exported from the QMC.',
        err,
      );
    }
    if (/unsupported/i.test(message)) {
      return badClientCert(
        'client.pfx uses a legacy encryption (RC2/3DES) this runtime cannot read',
        'Use the PEM files of the same export (client.pem and client_key.pem), or re-export the certificates from the QMC.',
        err,
      );
    }
    return badClientCert(`client.pfx cannot be read: ${message}`, 'Give the client.pfx from the QMC certificate export (Windows format).', err);
  }
  const encrypted = /ENCRYPTED/.test(client.keyPem);
  if (code === 'ERR_OSSL_BAD_DECRYPT' || (encrypted && /decrypt|passphrase|password/i.test(message))) {
    const given = client.keyPassphrase ?? client.passphrase;
    return badClientCert(
      given ? 'the passphrase of client_key.pem is wrong' : 'client_key.pem is encrypted and no passphrase was given',
      'Give the passphrase chosen when the certificates were exported from the QMC.',
      err,
    );
  }
  if (code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH') {
    return badClientCert(
      'client_key.pem is not the private key of client.pem',
      'Take both files from the same QMC export; an export made later re-issues the key pair.',
      err,
    );
  }
  if (/PEM|DECODER|no start line|bad base64|unsupported/i.test(`${code} ${message}`)) {
    const which = describeCertificate(client.certPem) ? 'client_key.pem is not a readable private key' : 'client.pem is not a readable PEM certificate';
    return badClientCert(which, 'Use client.pem and client_key.pem exactly as the QMC exported them (PEM text, -----BEGIN ... -----).', err);
  }
  return badClientCert(`the client certificate cannot be used: ${message}`, "Use client.pem and client_key.pem from this site's QMC certificate export.", err);
}

export class QlikConnection {
  private readonly agent: Agent;
  private readonly transport: QlikTransport;
  private readonly requestLog: RequestLog;
  private readonly qrsUser: { userDirectory: string; userId: string };

  constructor(options: ConnectionOptions) {
    const secureContext = buildSecureContext(options.ca, options.client);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const pooled = options.pooled ?? true;
    if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
    this.agent = new (undici().Agent)({
      // rejectUnauthorized is left at its default (true): root.pem is the only trust anchor. The context
      // built above is handed to every socket, so PEM/PFX material is parsed once, not once per connection.
      connect: {
        secureContext,
        timeout: timeoutMs,
        // Unpooled means a full handshake every time (the benchmark's baseline), so no session resumption.
        ...(pooled ? {} : { maxCachedSessions: 0 }),
      },
      keepAliveTimeout: KEEP_ALIVE_MS,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    this.requestLog = new RequestLog(options.logSize ?? DEFAULT_LOG_SIZE, options.onRecord);
    this.qrsUser = options.qrsUser ?? DEFAULT_QRS_USER;
    const clientIdentity = 'certPem' in options.client ? describeCertificate(options.client.certPem) : undefined;
    this.transport = new QlikTransport({
      dispatcher: this.agent,
      timeoutMs,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      pooled,
      log: this.requestLog,
      secureContext,
      caSubject: describeCertificate(options.ca)?.subject,
      ...(clientIdentity ? { clientIdentity } : {}),
    });
  }

  /**
   * A QPS client for one node and virtual proxy. `baseUrl` may carry the path of a proxyRestUri
   * (`https://node:4243/qps/ticket/`); an explicit `prefix` wins over the one in the path.
   */
  qps(baseUrl: string, prefix?: string): QpsClient {
    const parsed = parseQpsAddress(baseUrl);
    return new QpsApi(this.transport, parsed.baseUrl, prefix === undefined ? parsed.prefix : normalizePrefix(prefix));
  }

  /** The QPS client an authentication module needs for the proxyRestUri Qlik sent it. */
  qpsFromRestUri(proxyRestUri: string): QpsClient {
    return this.qps(proxyRestUri);
  }

  qrs(baseUrl: string): QrsClient {
    return new QrsApi(this.transport, serviceBaseUrl(baseUrl, 'qrs'), this.qrsUser);
  }

  /** The last calls, oldest first, redacted. */
  get log(): readonly RequestRecord[] {
    return this.requestLog.entries;
  }

  /** Closes pooled connections once their calls finish. */
  async close(): Promise<void> {
    await this.agent.close();
  }
}
