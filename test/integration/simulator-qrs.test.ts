// The simulated QRS over real mutual TLS: the X-Qlik-User and xrfkey rules, about, virtual proxies and
// proxy services (whose ports must be the ones the site really listens on).
import https from 'node:https';
import { beforeAll, describe, expect, it } from 'vitest';
import { XRFKEY_FAILURE_BODY } from '../../electron/simulator/http-util';
import { parseQlikUserHeader } from '../../electron/simulator/qrs';
import type { Simulator } from '../../electron/simulator/simulator';
import { randomAlphanumeric } from '../../electron/simulator/state';
import { startTestSite } from '../support/test-site';

const SA_REPOSITORY = 'UserDirectory=INTERNAL; UserId=sa_repository';
/** The demo site's virtual proxies that carry one deliberate mistake each, in site-file order. */
const MISTAKE_PREFIXES = ['copy-of-header', 'unlinked', 'no-engines', 'second-default', 'no-module', 'plain-http', 'no-header-name', 'week-long', 'anonymous', 'wrong-domain'];

let sim: Simulator;

interface Reply {
  status: number;
  text: string;
}

interface VpJson {
  id: string;
  prefix: string;
  sessionCookieHeaderName: string;
  loadBalancingServerNodes: Array<{ id: string; name: string; hostName: string }>;
}

interface ProxyServiceJson {
  id: string;
  settings: {
    listenPort: number;
    allowHttp: boolean;
    unencryptedListenPort: number;
    authenticationListenPort: number;
    restListenPort: number;
    virtualProxies: VpJson[];
  };
  serverNodeConfiguration: { id: string; name: string; hostName: string };
}

function get(path: string, opts: { qlikUser?: string | null; node?: 'central' | 'rim1'; method?: string } = {}): Promise<Reply> {
  const key = randomAlphanumeric(16);
  const url = new URL(path, sim.node(opts.node ?? 'central').qrs);
  url.searchParams.set('xrfkey', key);
  const headers: Record<string, string> = { 'X-Qlik-Xrfkey': key };
  const qlikUser = opts.qlikUser === undefined ? SA_REPOSITORY : opts.qlikUser;
  if (qlikUser !== null) headers['X-Qlik-User'] = qlikUser;
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method: opts.method ?? 'GET', headers, ca: sim.pki.ca.certPem, cert: sim.pki.client.certPem, key: sim.pki.client.keyPem, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function getJson<T>(path: string, node: 'central' | 'rim1' = 'central'): Promise<T> {
  const reply = await get(path, { node });
  expect(reply.status, reply.text).toBe(200);
  return JSON.parse(reply.text) as T;
}

beforeAll(async () => {
  sim = await startTestSite();
});

describe('access rules', () => {
  it('answers 403 explaining the header when X-Qlik-User is missing', async () => {
    const reply = await get('/qrs/about', { qlikUser: null });
    expect(reply.status).toBe(403);
    expect(reply.text).toContain('X-Qlik-User');
    expect(reply.text).toContain('missing');
  });

  it('answers 403 when X-Qlik-User cannot be read', async () => {
    for (const value of ['sa_repository', 'UserDirectory=INTERNAL', 'UserDirectory=INTERNAL; UserId=%E0%A4%A']) {
      const reply = await get('/qrs/about', { qlikUser: value });
      expect(reply.status, value).toBe(403);
      expect(reply.text, value).toContain('cannot be read');
    }
  });

  it('applies the xrfkey rule with Qlik exact text', async () => {
    const reply = await new Promise<Reply>((resolve, reject) => {
      const req = https.request(new URL('/qrs/about?xrfkey=abcdefghijklmnop', sim.node('central').qrs), {
        headers: { 'X-Qlik-Xrfkey': 'ABCDEFGHIJKLMNOP', 'X-Qlik-User': SA_REPOSITORY },
        ca: sim.pki.ca.certPem,
        cert: sim.pki.client.certPem,
        key: sim.pki.client.keyPem,
        agent: false,
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(reply).toEqual({ status: 403, text: XRFKEY_FAILURE_BODY });
  });

  it('answers 404 for an unknown path and 405 for a write', async () => {
    expect((await get('/qrs/app/full')).status).toBe(404);
    expect((await get('/qrs/about', { method: 'POST' })).status).toBe(405);
  });

  it('reads the header with any key casing and URL-encoded values', () => {
    expect(parseQlikUserHeader('userdirectory=MY%20DIR ; USERID=a%3Bb')).toEqual({ userDirectory: 'MY DIR', userId: 'a;b' });
    expect(parseQlikUserHeader('UserDirectory=; UserId=x')).toBeUndefined();
  });
});

describe('about', () => {
  it('describes the repository in camelCase, the first node being central', async () => {
    const central = await getJson<Record<string, unknown>>('/qrs/about');
    expect(central).toMatchObject({
      buildVersion: sim.site.buildVersion,
      databaseProvider: expect.any(String),
      nodeType: 1,
      sharedPersistence: true,
      requiresBootstrap: false,
      singleNodeOnly: false,
      schemaPath: 'About',
    });
    expect(typeof central.buildDate).toBe('string');
    expect((await getJson<Record<string, unknown>>('/qrs/about', 'rim1')).nodeType).toBe(2);
  });
});

describe('virtual proxies', () => {
  it('lists every virtual proxy with its QRS fields and load-balancing nodes as objects', async () => {
    const vps = await getJson<Array<VpJson & Record<string, unknown>>>('/qrs/virtualproxyconfig/full');
    // The three working virtual proxies first, then one per deliberate mistake of the demo site.
    expect(vps.map((vp) => vp.prefix)).toEqual(['', 'ticket', 'header', ...MISTAKE_PREFIXES]);
    const ticket = vps.find((vp) => vp.prefix === 'ticket')!;
    expect(ticket).toMatchObject({
      id: 'vp-ticket',
      sessionCookieHeaderName: 'X-Qlik-Session-ticket',
      authenticationMethod: 0,
      sameSiteAttributeHttps: 1,
      sessionInactivityTimeout: 30,
      defaultVirtualProxy: false,
      websocketCrossOriginWhiteList: ['localhost'],
    });
    expect(ticket.loadBalancingServerNodes).toEqual([
      { id: 'node-central', name: 'central', hostName: 'localhost' },
      { id: 'node-rim1', name: 'rim1', hostName: 'localhost' },
    ]);
    expect(vps.find((vp) => vp.prefix === '')).toMatchObject({ sessionCookieHeaderName: 'X-Qlik-Session', defaultVirtualProxy: true });
  });

  it('reports the deliberate mistakes as QRS holds them', async () => {
    const vps = await getJson<Array<VpJson & Record<string, unknown>>>('/qrs/virtualproxyconfig/full');
    const byPrefix = (prefix: string) => vps.find((vp) => vp.prefix === prefix)!;
    expect(byPrefix('no-engines').loadBalancingServerNodes).toEqual([]);
    expect(byPrefix('copy-of-header').sessionCookieHeaderName).toBe(byPrefix('header').sessionCookieHeaderName);
    expect(byPrefix('second-default').defaultVirtualProxy).toBe(true);
    expect(byPrefix('no-header-name')).toMatchObject({ authenticationMethod: 1, headerAuthenticationHeaderName: '' });
    expect(byPrefix('anonymous')).toMatchObject({ authenticationMethod: 0, anonymousAccessMode: 2, authenticationModuleRedirectUri: '' });
    for (const prefix of MISTAKE_PREFIXES) expect(byPrefix(prefix).description).toMatch(/^Deliberate mistake \([a-z-]+\): /);
  });

  it('counts them', async () => {
    expect(await getJson('/qrs/virtualproxyconfig/count')).toEqual({ value: 3 + MISTAKE_PREFIXES.length });
  });
});

describe('proxy services', () => {
  it('lists one per node with the ports the site listens on and the virtual proxies it links', async () => {
    const services = await getJson<ProxyServiceJson[]>('/qrs/proxyservice/full');
    expect(services).toHaveLength(sim.nodes.length);
    for (const node of sim.nodes) {
      const service = services.find((s) => s.serverNodeConfiguration.id === node.nodeId);
      expect(service, node.nodeId).toBeDefined();
      expect(service!.serverNodeConfiguration).toEqual({ id: node.nodeId, name: node.name, hostName: node.hostName });
      expect(service!.settings).toMatchObject({
        listenPort: node.proxyPort,
        restListenPort: node.qpsPort,
        allowHttp: false,
        unencryptedListenPort: 80,
        authenticationListenPort: 4244,
      });
      expect(service!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    const linked = (nodeId: string): string[] =>
      services.find((s) => s.serverNodeConfiguration.id === nodeId)!.settings.virtualProxies.map((vp) => vp.id);
    // Central links every virtual proxy but the deliberately unlinked one; it is in no proxy's list.
    expect(linked('node-central')).toEqual(['vp-default', 'vp-ticket', 'vp-header', ...MISTAKE_PREFIXES.filter((p) => p !== 'unlinked').map((p) => `vp-${p}`)]);
    expect(linked('node-rim1')).toEqual(['vp-default', 'vp-ticket']);
    expect(services.some((s) => s.settings.virtualProxies.some((vp) => vp.id === 'vp-unlinked'))).toBe(false);
    expect(new Set(services.map((s) => s.id)).size).toBe(services.length);
  });

  it('answers the same from every node, and counts them', async () => {
    const fromCentral = await getJson<ProxyServiceJson[]>('/qrs/proxyservice/full');
    const fromRim = await getJson<ProxyServiceJson[]>('/qrs/proxyservice/full', 'rim1');
    expect(fromRim).toEqual(fromCentral);
    expect(await getJson('/qrs/proxyservice/count', 'rim1')).toEqual({ value: 2 });
  });
});
