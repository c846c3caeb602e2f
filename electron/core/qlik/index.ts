// The Qlik Sense client: QPS (tickets, sessions) and QRS (virtual proxies, proxies) over mutual TLS.
export { QlikConnection, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, DEFAULT_LOG_SIZE } from './connection';
export { QlikError, type QlikErrorCode } from './errors';
export { newXrfkey } from './xrfkey';
export { camelCaseKeys, camelKey } from './casing';
export { toCurl, toPowerShell, redactBody, redactUrl, type RecordListener, type RecordReplay, type RequestRecord } from './request-log';
export { parseQpsAddress } from './qps';
export { AddressError, parseServiceAddress, serviceBaseUrl, QLIK_DEFAULT_PORTS, type QlikService } from './base-url';
export { DEFAULT_QRS_USER, qlikUserHeader } from './qrs';
export type {
  AddSessionRequest,
  Attributes,
  ClientCertificate,
  ConnectionOptions,
  ProxyServiceConfig,
  QpsClient,
  QpsSession,
  QrsAbout,
  QrsClient,
  ServerNodeRef,
  TicketRequest,
  TicketResult,
  VirtualProxyConfig,
  VirtualProxyFields,
} from './types';
export { proxyServiceUrls } from './service-urls';
export { QrsFilterError, parseQrsFilter, qrsEquals, qrsQuote } from './qrs-filter';
