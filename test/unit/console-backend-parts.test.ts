// The small parts of the console backend: the request-log ring, trust-run retention, target URLs of an
// opened ticket, the scrubbing of tickets out of anything shown, and the checks' time-limited probe.
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { BackendContext } from '../../electron/app/backend-context';
import { BackendEvents } from '../../electron/app/backend-events';
import { ChecksService } from '../../electron/app/checks-service';
import { channelHandlers, type ConsoleServices, type FileChooser } from '../../electron/app/console-channels';
import type { ProxyServiceConfig, VirtualProxyConfig } from '../../electron/core/qlik';
import { hubUrl, openTargetUrl, redeemTicket, type LoginPage } from '../../electron/core/sessions/redemption';
import { maskTickets } from '../../shared/redact';
import { BrowserRequestError } from '../../electron/core/browser';
import { RequestLogStore } from '../../electron/app/request-log-store';
import { TrustRuns, TRUST_RUN_TTL_MS } from '../../electron/app/trust-runs';
import type { RequestRecord } from '../../shared/request-log';
import { virtualProxyDefaults } from '../../electron/core/qlik/virtual-proxy';

function record(over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: 1,
    service: 'qps',
    method: 'GET',
    url: 'https://node:4243/qps/ticket/session?xrfkey=abcdefghij012345',
    status: 200,
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 3,
    ...over,
  };
}

describe('RequestLogStore', () => {
  it('numbers records itself (connections all start at 1) and announces each', () => {
    const seen: number[] = [];
    const store = new RequestLogStore((r) => seen.push(r.id));
    store.add(record({ id: 1 }));
    store.add(record({ id: 1 }));
    expect(store.list().map((r) => r.id)).toEqual([1, 2]);
    expect(seen).toEqual([1, 2]);
  });

  it('keeps the newest records only', () => {
    const store = new RequestLogStore(undefined, 3);
    for (let i = 0; i < 5; i++) store.add(record({ method: `M${i}` }));
    expect(store.list().map((r) => r.method)).toEqual(['M2', 'M3', 'M4']);
    expect(store.get(1)).toBeUndefined();
    expect(store.get(5)?.method).toBe('M4');
  });

  it('filters by method, URL, status or service, case-insensitively', () => {
    const store = new RequestLogStore();
    store.add(record({ method: 'POST', url: 'https://node:4243/qps/ticket/ticket?xrfkey=a', status: 201 }));
    store.add(record({ service: 'qrs', url: 'https://node:4242/qrs/about?xrfkey=a', status: 200 }));
    store.add(record({ status: undefined, errorCode: 'TIMEOUT' }));
    expect(store.list('post').map((r) => r.id)).toEqual([1]);
    expect(store.list('QRS').map((r) => r.id)).toEqual([2]);
    expect(store.list('201').map((r) => r.id)).toEqual([1]);
    expect(store.list('/session').map((r) => r.id)).toEqual([3]);
    expect(store.list('  ')).toHaveLength(3);
    expect(store.list('nothing-like-this')).toEqual([]);
  });

  it('does not match the random xrfkey value (a QPS call whose key happens to hold "qRs")', () => {
    const store = new RequestLogStore();
    store.add(record({ url: 'https://node:4243/qps/ticket/ticket?xrfkey=abqRsdefghij0123' }));
    store.add(record({ service: 'qrs', url: 'https://node:4242/qrs/about?xrfkey=abcdefghij012345' }));
    expect(store.list('qrs').map((r) => r.id)).toEqual([2]);
    expect(store.list('xrfkey').map((r) => r.id)).toEqual([1, 2]);
  });

  it('finds the newest matching record since a mark', () => {
    const store = new RequestLogStore();
    store.add(record({ method: 'POST' }));
    const mark = store.nextRecordId;
    store.add(record({ method: 'GET' }));
    store.add(record({ method: 'POST', url: 'https://node:4243/qps/a' }));
    store.add(record({ method: 'POST', url: 'https://node:4243/qps/b' }));
    expect(store.findSince(mark, (r) => r.method === 'POST')?.url).toBe('https://node:4243/qps/b');
    expect(store.findSince(store.nextRecordId, () => true)).toBeUndefined();
  });
});

describe('TrustRuns', () => {
  it('keeps a run for 15 minutes, then says RUN_NOT_FOUND', () => {
    let t = 0;
    const runs = new TrustRuns({ now: () => t });
    const id = runs.newId();
    runs.put(id, { qps: 'https://a:4243', qrs: 'https://a:4242', result: { ok: true, steps: [] } });
    t = TRUST_RUN_TTL_MS;
    expect(runs.get(id).qps).toBe('https://a:4243');
    t += 1;
    expect(() => runs.get(id)).toThrow(expect.objectContaining({ code: 'RUN_NOT_FOUND', hint: expect.any(String) }));
    expect(runs.size).toBe(0);
  });

  it('says a saved run was saved, and as which site, until its 15 minutes are over', () => {
    let t = 0;
    const runs = new TrustRuns({ now: () => t });
    const id = runs.newId();
    runs.put(id, { qps: 'https://a:4243', qrs: 'https://a:4242', result: { ok: true, steps: [] } });
    runs.markSaved(id, 'Prod EU');
    expect(runs.size).toBe(0);
    expect(() => runs.get(id)).toThrow(expect.objectContaining({ code: 'RUN_SAVED', message: expect.stringContaining('“Prod EU”') }));
    t = TRUST_RUN_TTL_MS + 1;
    expect(() => runs.get(id)).toThrow(expect.objectContaining({ code: 'RUN_NOT_FOUND' }));
  });
});

describe('opened ticket targets', () => {
  const proxy = 'https://node.example.com:443';
  it('builds hub and app addresses under the virtual proxy', () => {
    expect(hubUrl('https://node:8443', '')).toBe('https://node:8443/hub/');
    expect(openTargetUrl('https://node:8443', 'ticket', { kind: 'hub' })).toBe('https://node:8443/ticket/hub/');
    expect(openTargetUrl('https://node:8443', 'ticket', { kind: 'app', appId: 'a 1' })).toBe('https://node:8443/ticket/sense/app/a%201');
    expect(openTargetUrl(proxy, '', { kind: 'url', url: 'https://node.example.com/sense/app/x?sheet=1' })).toBe('https://node.example.com/sense/app/x?sheet=1');
  });

  it('never sends a ticket to another host or port', () => {
    for (const url of ['https://evil.example.com/hub/', 'https://node.example.com:8443/hub/', 'https://node.example.com.evil.io/']) {
      expect(() => openTargetUrl(proxy, '', { kind: 'url', url })).toThrow(expect.objectContaining({ code: 'NOT_ALLOWED' }));
    }
  });

  it('scrubs a ticket from text, raw or URL-encoded', () => {
    const ticket = 'AbCdEfGh-12+/xyz';
    const text = `failed at https://n/hub/?qlikTicket=${encodeURIComponent(ticket)} and ${ticket} and QLIKTICKET=Zzzz9999Zzzz9999`;
    const out = maskTickets(text, ticket);
    expect(out).not.toContain(ticket);
    expect(out).not.toContain(encodeURIComponent(ticket));
    expect(out).not.toContain('Zzzz9999Zzzz9999');
    expect(out).toContain('AbCd•');
  });

  it('says why a partition could not load the page, with the fix, and without the ticket', async () => {
    const ticket = 'AbCdEfGh-12+/xyz';
    const refused = (url: string) =>
      new BrowserRequestError(
        'UNTRUSTED_CERT',
        `Refused ${url}: the certificate was not issued by the site CA of this profile`,
        'Re-export the certificates from the QMC.',
      );
    const page: LoginPage = {
      partitionId: 'ticket-1',
      goto: async (url) => Promise.reject(refused(url)),
      fetchJson: async () => ({ status: 0, body: null }),
      cookies: async () => [],
      sendHeaders: () => Promise.reject(new Error('login headers are not used here')),
    };
    const { result } = await redeemTicket({
      page,
      url: 'https://node.example.com/hub/',
      ticket,
      prefix: '',
      user: { userDirectory: 'CORP', userId: 'alice' },
    });
    expect(result.established).toBe(false);
    expect(result.detail).toContain('the page did not load: Refused https://node.example.com/hub/');
    expect(result.detail).toContain('not issued by the site CA of this profile. Re-export the certificates from the QMC.');
    expect(result.detail).not.toContain(encodeURIComponent(ticket));
    expect(result.detail).not.toContain(ticket);
  });
});

describe('BackendEvents', () => {
  it('delivers to every listener even when one throws, and unsubscribes', () => {
    const events = new BackendEvents();
    const got: string[] = [];
    events.on('requestLog.record', () => {
      throw new Error('torn down');
    });
    const off = events.on('requestLog.record', (r) => got.push(r.method));
    events.emit('requestLog.record', record({ method: 'A' }));
    off();
    events.emit('requestLog.record', record({ method: 'B' }));
    expect(got).toEqual(['A']);
  });
});

describe('ChecksService', () => {
  const NODE = { id: 'n1', name: 'central', hostName: 'localhost' };
  function vp(prefix: string, moduleUri: string): VirtualProxyConfig {
    return {
      ...virtualProxyDefaults(prefix),
      id: `vp-${prefix}`,
      description: prefix,
      authenticationModuleRedirectUri: moduleUri,
      loadBalancingServerNodes: [NODE],
      sameSiteAttributeHttps: 1,
      defaultVirtualProxy: false,
    };
  }

  /** Just enough of the backend's context: one profile whose QRS reports the given virtual proxies. */
  function fakeContext(virtualProxies: VirtualProxyConfig[]): BackendContext {
    const proxy: ProxyServiceConfig = {
      id: 'p1',
      settings: { listenPort: 443, restListenPort: 4243, allowHttp: false, virtualProxies },
      serverNodeConfiguration: NODE,
    };
    const qrs = { virtualProxies: async () => virtualProxies, proxyServices: async () => [proxy] };
    return {
      profiles: { get: async (id: string) => ({ id, qrs: 'https://qlik.example:4242', builtIn: true }) },
      connections: { get: async () => ({ connection: { qrs: () => qrs }, caPem: '' }) },
    } as unknown as BackendContext;
  }

  it('gives up on a module that never answers after its time limit, without holding up other calls', async () => {
    // Accepts the connection and then says nothing: no TLS handshake, no HTTP answer.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const port = (silent.address() as AddressInfo).port;
    try {
      const service = new ChecksService(fakeContext([vp('ticket', `https://127.0.0.1:${port}/login`)]), { probeTimeoutMs: 400 });
      const started = Date.now();
      let probedDone = false;
      const probed = service.run({ profileId: 'demo', probe: true }).finally(() => (probedDone = true));
      // Another call made meanwhile answers first: the probe waits on a socket, not on the process.
      const quick = await service.run({ profileId: 'demo', probe: false });
      expect(quick.findings).toEqual([]);
      expect(probedDone).toBe(false);
      const slow = await probed;
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(slow.durationMs).toBeGreaterThanOrEqual(300);
      expect(slow.findings.map((f) => `${f.rule}:${f.virtualProxy}`)).toEqual(['module-unreachable:ticket']);
      expect(slow.checked).toEqual([{ prefix: 'ticket', description: 'ticket' }]);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});

describe('files.choose', () => {
  const services = (chooseFile: FileChooser) => ({ chooseFile }) as unknown as ConsoleServices;
  it("answers the host picker's path, or no path when the person cancelled", async () => {
    const asked: string[] = [];
    const handlers = channelHandlers(
      services(async (what) => {
        asked.push(what);
        return what === 'folder' ? '/exports/qmc' : undefined;
      }),
    );
    expect(await handlers['files.choose']({ what: 'folder' })).toEqual({ path: '/exports/qmc' });
    expect(await handlers['files.choose']({ what: 'pfx' })).toEqual({});
    expect(asked).toEqual(['folder', 'pfx']);
  });
});
