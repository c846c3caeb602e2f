// Does an authentication module answer at all? One GET, time-limited, certificate checked against the
// system's roots plus the site CA (modules often sit on the Qlik server with the site's certificate).
//
// One deadline covers the whole probe (DNS, TCP, TLS handshake, headers, body). undici's own timeouts do
// not: a request's abort signal is only acted on once a connection is ready, so a server that accepts and
// never finishes the handshake ran into the connect timeout instead, which undici's coarse timers fire
// up to a second late, and closing the shared agent then waited for that socket too (destroying an
// undici agent does not end a handshake in progress either). So the probe opens its own sockets and
// destroys them when the deadline passes.
import { isIP } from 'node:net';
import { connect as tlsConnect, rootCertificates, type TLSSocket } from 'node:tls';
import type { Agent, buildConnector } from 'undici';
import { undici } from '../undici';

export interface ModuleProbe {
  /** Resolves to why `uri` does not answer, or undefined when it does (any status below 500). */
  probe: (uri: string) => Promise<string | undefined>;
  close: () => Promise<void>;
}

const BODY_LIMIT_BYTES = 64 * 1024;

function reasonOf(err: unknown, timeoutMs: number): string {
  const code = (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'host not found';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'its certificate is not issued for that host name';
  // Browsers would refuse it too; the admin needs the module's CA (or the site CA) trusted.
  if (code && /CERT|UNABLE_TO_VERIFY|SELF_SIGNED/.test(code)) return `its certificate is not trusted (${code})`;
  // undici's backstop timeouts and the deadline mean the same to an admin: nothing answered in time.
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return `no answer within ${timeoutMs} ms`;
  return code ?? (err as Error).message;
}

export function createModuleProbe(options: { caPem?: string; timeoutMs?: number } = {}): ModuleProbe {
  const timeoutMs = options.timeoutMs ?? 5000;
  const ca = options.caPem ? [...rootCertificates, options.caPem] : undefined;
  // One agent per probe: when the deadline passes its sockets are destroyed without touching other probes.
  const live = new Set<{ agent: Agent; sockets: Set<TLSSocket> }>();

  async function release(entry: { agent: Agent; sockets: Set<TLSSocket> }): Promise<void> {
    for (const socket of entry.sockets) socket.destroy();
    // destroy, not close: close would wait for requests that may never end.
    await entry.agent.destroy().catch(() => undefined);
  }

  async function attempt(uri: string, agent: Agent, signal: AbortSignal): Promise<string | undefined> {
    try {
      const response = await undici().request(uri, { method: 'GET', dispatcher: agent, signal });
      // Only the status matters: read at most this much of the page, then drop the connection.
      await response.body.dump({ limit: BODY_LIMIT_BYTES, signal });
      return response.statusCode >= 500 ? `HTTP ${response.statusCode}` : undefined;
    } catch (err) {
      return reasonOf(err, timeoutMs);
    }
  }

  /** A TLS connector whose sockets the probe can destroy, handshake or not. */
  function connector(sockets: Set<TLSSocket>): buildConnector.connector {
    return (opts, callback) => {
      // An IPv6 literal arrives in its URL brackets.
      const host = opts.hostname.replace(/^\[(.*)\]$/, '$1');
      const socket = tlsConnect({
        host,
        port: Number(opts.port) || 443,
        // SNI takes host names only.
        servername: opts.servername || (isIP(host) ? undefined : host),
        ca,
        ALPNProtocols: ['http/1.1'],
      });
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      let settled = false;
      const settle = (err: Error | null): void => {
        if (settled) return;
        settled = true;
        if (err) callback(err, null);
        else callback(null, socket);
      };
      socket.once('secureConnect', () => settle(null));
      socket.once('error', settle);
    };
  }

  return {
    async probe(uri) {
      // The connector speaks TLS only; the checks report a plain-HTTP module by its own rule.
      if (!/^https:\/\//i.test(uri)) return 'not an https:// address';
      const sockets = new Set<TLSSocket>();
      // The agent's timeouts are backstops only; the deadline below is the limit. undici 7 follows no
      // redirects without an interceptor: a module's 302 to a login page counts as an answer.
      const agent = new (undici().Agent)({ connect: connector(sockets), headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
      const entry = { agent, sockets };
      live.add(entry);
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<string>((resolve) => {
        timer = setTimeout(() => {
          controller.abort();
          resolve(`no answer within ${timeoutMs} ms`);
        }, timeoutMs);
      });
      try {
        return await Promise.race([attempt(uri, agent, controller.signal), deadline]);
      } finally {
        clearTimeout(timer);
        live.delete(entry);
        await release(entry);
      }
    },
    async close() {
      await Promise.all([...live].map(release));
      live.clear();
    },
  };
}
