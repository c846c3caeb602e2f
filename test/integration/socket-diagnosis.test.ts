// The WebSocket diagnosis on the built-in site: a mashup origin, a virtual proxy and a login method, the
// engine socket opened as the mashup would, and the first missing piece named with its QMC fix. The demo
// site gets four more ticket virtual proxies, each set up for https://mashup.example but for one piece.
import { beforeAll, describe, expect, it } from 'vitest';
import { diagnoseEngineSocket, type SocketLogin } from '../../electron/core/checks/socket-diagnosis';
import { demoSite } from '../../electron/simulator/demo-site';
import type { VirtualProxyDescription } from '../../electron/simulator/site';
import { socketFindingLine } from '../../shared/socket-diagnosis';
import type { Simulator } from '../../electron/simulator/simulator';
import { startTestSite } from '../support/test-site';

const MASHUP = 'https://mashup.example';
const site = demoSite();
const ticketVp = site.virtualProxies.find((vp) => vp.id === 'vp-ticket')!;
const forMashup: Partial<VirtualProxyDescription> = {
  websocketCrossOriginWhiteList: ['mashup.example'],
  sameSiteAttributeHttps: 1,
  hasSecureAttributeHttps: true,
  additionalResponseHeaders: [
    `Access-Control-Allow-Origin: ${MASHUP}`,
    'Access-Control-Allow-Credentials: true',
    'Access-Control-Expose-Headers: qlik-csrf-token',
  ].join('\n'),
};
const variants: Record<string, Partial<VirtualProxyDescription>> = {
  'mashup-ok': forMashup,
  'mashup-lax': { ...forMashup, sameSiteAttributeHttps: 2 },
  'mashup-no-cors': { ...forMashup, additionalResponseHeaders: '' },
  'mashup-no-allow': { ...forMashup, websocketCrossOriginWhiteList: [] },
};
for (const [prefix, changes] of Object.entries(variants)) {
  site.virtualProxies.push({ ...ticketVp, ...changes, id: `vp-${prefix}`, prefix, sessionCookieHeaderName: `X-Qlik-Session-${prefix}` });
  site.nodes.find((n) => n.id === 'node-central')!.virtualProxies.push(`vp-${prefix}`);
}
let sim: Simulator;
let proxy: string;
beforeAll(async () => {
  sim = await startTestSite({ site });
  proxy = sim.node('central').hub;
});

function diagnose(prefix: string, origin: string, login?: SocketLogin) {
  const ticket = sim.state.issueTicket('node-central', `vp-${prefix}`, { userDirectory: 'DEMO', userId: 'alice' }, []).ticket;
  return diagnoseEngineSocket({
    proxy,
    prefix,
    sessionCookieName: `X-Qlik-Session-${prefix}`,
    origin,
    ca: sim.pki.ca.certPem,
    login: login ?? { kind: 'ticket', ticket },
    timeoutMs: 5_000,
  });
}

describe('engine socket diagnosis on the built-in site', () => {
  it('every piece present: the socket opens for the ticket user', async () => {
    const result = await diagnose('mashup-ok', MASHUP);
    expect(result).toMatchObject({ ok: true, user: 'UserDirectory=DEMO; UserId=alice' });
    expect(result.findings.map((f) => [f.piece, f.status])).toEqual([
      ['cookie', 'pass'],
      ['samesite', 'pass'],
      ['csrf-token', 'pass'],
      ['origin', 'pass'],
      ['socket', 'pass'],
    ]);
  });

  it('cookie: a ticket the proxy does not take leaves no session cookie', async () => {
    const result = await diagnose('mashup-ok', MASHUP, { kind: 'ticket', ticket: 'not-a-ticket-at-all' });
    expect(result.firstMissing).toBe('cookie');
    expect(result.findings[0]!.detail).toContain('no X-Qlik-Session-mashup-ok cookie');
    expect(result.findings.slice(1).every((f) => f.status === 'skipped')).toBe(true);
  });

  it('SameSite: a Lax cookie is kept back from a page on another site', async () => {
    const result = await diagnose('mashup-lax', MASHUP);
    expect(result.firstMissing).toBe('samesite');
    expect(result.findings.find((f) => f.piece === 'samesite')!.fix).toBe(
      'In the QMC, set "SameSite attribute (HTTPS)" of virtual proxy /mashup-lax to None (the cookie must also be Secure).',
    );
    // The same virtual proxy from its own site: nothing missing.
    expect((await diagnose('mashup-lax', proxy)).ok).toBe(true);
  });

  it('CSRF token: handed out, but without CORS headers the page cannot read it', async () => {
    const result = await diagnose('mashup-no-cors', MASHUP);
    expect(result.firstMissing).toBe('csrf-token');
    expect(result.findings.find((f) => f.piece === 'csrf-token')!.fix).toBe(
      `In the QMC, add to "Additional response headers" of virtual proxy /mashup-no-cors: Access-Control-Allow-Origin: ${MASHUP}; Access-Control-Allow-Credentials: true; Access-Control-Expose-Headers: qlik-csrf-token.`,
    );
  });

  it('origin: not in the host allow list, the socket is refused', async () => {
    const result = await diagnose('mashup-no-allow', MASHUP);
    expect(result.firstMissing).toBe('origin');
    const line = socketFindingLine(result.findings.find((f) => f.piece === 'origin')!);
    expect(line).toMatch(/^MISSING origin in the allow list: the proxy refused the socket from https:\/\/mashup\.example: Forbidden/);
    expect(line).toContain('Fix: In the QMC, add mashup.example to the "Host allow list" (WebSocket origin allow list) of virtual proxy /mashup-no-allow.');
  });

  it('a header login on the demo header virtual proxy, from a mashup elsewhere: SameSite first', async () => {
    const result = await diagnoseEngineSocket({
      proxy,
      prefix: 'header',
      sessionCookieName: 'X-Qlik-Session-header',
      origin: MASHUP,
      ca: sim.pki.ca.certPem,
      login: { kind: 'headers', method: 'header', headers: { 'X-Usher-User': 'carol' } },
      timeoutMs: 5_000,
    });
    expect(result.findings[0]).toMatchObject({ piece: 'cookie', status: 'pass' });
    expect(result.firstMissing).toBe('samesite');
  });
});
