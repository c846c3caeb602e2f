// The shapes the QPS and QRS clients speak, normalised to camelCase whatever casing the server used
// (prose docs and real servers answer PascalCase, Qlik's OpenAPI models say camelCase).
import type { RecordListener } from './request-log';
import type { VirtualProxy } from './virtual-proxy';

export type { QlikErrorCode, RequestRecord } from '../../../shared/request-log';

/** The QMC's certificate export: a PEM pair (client.pem + client_key.pem) or the Windows client.pfx. */
export type ClientCertificate =
  | {
      certPem: string;
      keyPem: string;
      keyPassphrase?: string;
      /** Accepted as an alias of `keyPassphrase` (a PEM key's passphrase); `keyPassphrase` wins when both are set. */
      passphrase?: string;
    }
  | { pfx: Buffer; passphrase: string };

export interface ConnectionOptions {
  /** PEM of root.pem, the site CA. It is the only trust anchor: verification is never switched off. */
  ca: string;
  client: ClientCertificate;
  /** Per call, covering connect, headers and body. Default 10 000 ms. */
  timeoutMs?: number;
  /** The largest response body read. Default 16 MiB. */
  maxBodyBytes?: number;
  /** Keep-alive connections (default). `false` opens a fresh TLS connection, full handshake, per request. */
  pooled?: boolean;
  /** The X-Qlik-User of QRS calls. Default INTERNAL \ sa_repository. */
  qrsUser?: { userDirectory: string; userId: string };
  /** Called with every request record, successes and failures alike. */
  onRecord?: RecordListener;
  /** How many records `log` keeps. Default 500. */
  logSize?: number;
}

// The two request bodies are valibot models shared with the simulated QPS that reads them.
import type { AddSessionRequest, Attributes, TicketRequest } from './qps-requests';
export type { AddSessionRequest, Attributes, TicketRequest } from './qps-requests';

export interface TicketResult {
  userDirectory: string;
  userId: string;
  attributes: Attributes;
  ticket: string;
  /** Only when a known `targetId` was sent. */
  targetUri?: string;
}

export interface QpsSession {
  userDirectory: string;
  userId: string;
  userName?: string;
  attributes: Attributes;
  sessionId: string;
}

export interface QpsClient {
  /** `https://host:port`, no path. */
  readonly baseUrl: string;
  /** The virtual proxy prefix, '' for the default one. */
  readonly prefix: string;
  requestTicket(request: TicketRequest): Promise<TicketResult>;
  addSession(request: AddSessionRequest): Promise<QpsSession>;
  /** A session id this virtual proxy does not know: QlikError NOT_FOUND. */
  getSession(sessionId: string): Promise<QpsSession>;
  listSessions(): Promise<QpsSession[]>;
  deleteSession(sessionId: string): Promise<QpsSession>;
  userSessions(userDirectory: string, userId: string): Promise<QpsSession[]>;
  deleteUserSessions(userDirectory: string, userId: string): Promise<QpsSession[]>;
}

export interface QrsAbout {
  buildVersion: string;
  buildDate: string;
  databaseProvider: string;
  nodeType: number;
  [key: string]: unknown;
}

export interface ServerNodeRef {
  id?: string;
  name: string;
  hostName: string;
}

export type { VirtualProxyFields } from './virtual-proxy';

/** A virtual proxy as the QRS answers it: the one model (virtual-proxy.ts) with the QRS's node references. */
export type VirtualProxyConfig = VirtualProxy<{ id: string; name: string; hostName: string }>;

export interface ProxyServiceConfig {
  id: string;
  settings: {
    listenPort: number;
    restListenPort: number;
    allowHttp: boolean;
    unencryptedListenPort?: number;
    authenticationListenPort?: number;
    virtualProxies: VirtualProxyConfig[];
  };
  serverNodeConfiguration: ServerNodeRef;
}

export interface QrsClient {
  readonly baseUrl: string;
  about(): Promise<QrsAbout>;
  virtualProxies(): Promise<VirtualProxyConfig[]>;
  /** One virtual proxy by prefix, or undefined when QRS has none. */
  virtualProxy(prefix: string): Promise<VirtualProxyConfig | undefined>;
  proxyServices(): Promise<ProxyServiceConfig[]>;
}
