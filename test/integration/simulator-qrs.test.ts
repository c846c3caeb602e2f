// The simulated QRS over real mutual TLS: the X-Qlik-User and xrfkey rules, about, virtual proxies and
// proxy services (whose ports must be the ones the site really listens on).
import https from 'node:https';
import { beforeAll, describe, expect, it } from 'vitest';
import { XRFKEY_FAILURE_BODY } from '../../electron/simulator/http-util';
import { parseQlikUserHeader } from '../../electron/simulator/qrs';
import { qrsGuid } from '../../electron/simulator/site';
import type { Simulator } from '../../electron/simulator/simulator';
import { randomAlphanumeric } from '../../electron/simulator/state';
import { startTestSite } from '../support/test-site';

const SA_REPOSITORY = 'UserDirectory=INTERNAL; UserId=sa_repository';
/** The demo site's virtual proxies that carry one deliberate mistake each, in site-file order. */
const MISTAKE_PREFIXES = [
  'copy-of-header',
  'unlinked',
  'no-engines',
  'second-default',
  'no-module',
  'plain-http',
  'no-header-name',
  'week-long',
  'anonymous',
  'wrong-domain',
  'jwt-no-directory',
  'jwt-no-user-id',
  'jwt-no-certificate',
  'jwt-bad-certificate',
  'jwt-expired-certificate',
  'jwt-no-csrf',
  'reserved-header',
];
/** The working virtual proxies, before the mistakes. */
const WORKING_PREFIXES = ['', 'ticket', 'header', 'jwt', 'header-dynamic'];

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
    expect((await get('/qrs/nosuchentity/full')).status).toBe(404);
    expect((await get('/qrs/app/full/extra')).status).toBe(404);
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
    // The working virtual proxies first, then one per deliberate mistake of the demo site.
    expect(vps.map((vp) => vp.prefix)).toEqual([...WORKING_PREFIXES, ...MISTAKE_PREFIXES]);
    const ticket = vps.find((vp) => vp.prefix === 'ticket')!;
    expect(ticket).toMatchObject({
      id: qrsGuid('virtualproxyconfig', 'vp-ticket'),
      sessionCookieHeaderName: 'X-Qlik-Session-ticket',
      authenticationMethod: 0,
      sameSiteAttributeHttps: 1,
      sessionInactivityTimeout: 30,
      defaultVirtualProxy: false,
      websocketCrossOriginWhiteList: ['localhost'],
    });
    expect(ticket.loadBalancingServerNodes).toEqual(
      sim.nodes.map((n) => expect.objectContaining({ id: qrsGuid('servernodeconfiguration', n.nodeId), name: n.name, hostName: n.hostName })),
    );
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
    expect(byPrefix('jwt-no-directory')).toMatchObject({ authenticationMethod: 4, jwtAttributeUserId: 'userId', jwtAttributeUserDirectory: '' });
    expect(byPrefix('jwt')).toMatchObject({
      jwtPublicKeyCertificate: expect.stringMatching(/^-----BEGIN CERTIFICATE-----/),
      jwtAttributeMap: [{ jwtAttribute: 'groups', senseAttribute: 'Group', isMandatory: false }],
    });
    for (const prefix of MISTAKE_PREFIXES) expect(byPrefix(prefix).description).toMatch(/^Deliberate mistake \([a-z-]+\): /);
  });

  it('counts them', async () => {
    expect(await getJson('/qrs/virtualproxyconfig/count')).toEqual({ value: WORKING_PREFIXES.length + MISTAKE_PREFIXES.length });
  });
});

describe('proxy services', () => {
  it('lists one per node with the ports the site listens on and the virtual proxies it links', async () => {
    const services = await getJson<ProxyServiceJson[]>('/qrs/proxyservice/full');
    expect(services).toHaveLength(sim.nodes.length);
    for (const node of sim.nodes) {
      const service = services.find((s) => s.serverNodeConfiguration.id === qrsGuid('servernodeconfiguration', node.nodeId));
      expect(service, node.nodeId).toBeDefined();
      expect(service!.serverNodeConfiguration).toMatchObject({ name: node.name, hostName: node.hostName });
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
      services.find((s) => s.serverNodeConfiguration.id === qrsGuid('servernodeconfiguration', nodeId))!.settings.virtualProxies.map((vp) => vp.prefix);
    // Central links every virtual proxy but the deliberately unlinked one; it is in no proxy's list.
    expect(linked('node-central')).toEqual([...WORKING_PREFIXES, ...MISTAKE_PREFIXES.filter((p) => p !== 'unlinked')]);
    expect(linked('node-rim1')).toEqual(['', 'ticket']);
    expect(services.some((s) => s.settings.virtualProxies.some((vp) => vp.prefix === 'unlinked'))).toBe(false);
    expect(new Set(services.map((s) => s.id)).size).toBe(services.length);
  });

  it('answers the same from every node, and counts them', async () => {
    const fromCentral = await getJson<ProxyServiceJson[]>('/qrs/proxyservice/full');
    const fromRim = await getJson<ProxyServiceJson[]>('/qrs/proxyservice/full', 'rim1');
    expect(fromRim).toEqual(fromCentral);
    expect(await getJson('/qrs/proxyservice/count', 'rim1')).toEqual({ value: 2 });
  });
});

describe('every entity type on the generic paths', () => {
  const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const TYPES: Array<[string, string, () => number]> = [
    ['app', 'App', () => sim.site.apps.length],
    ['stream', 'Stream', () => sim.site.streams.length],
    ['user', 'User', () => sim.site.users.length],
    ['servernodeconfiguration', 'ServerNodeConfiguration', () => sim.site.nodes.length],
    ['proxyservice', 'ProxyService', () => sim.site.nodes.length],
    ['virtualproxyconfig', 'VirtualProxyConfig', () => sim.site.virtualProxies.length],
    ['engineservice', 'EngineService', () => sim.site.nodes.length],
  ];

  it.each(TYPES)('%s: full objects carry the fields every QRS entity has, under GUID ids', async (type, schemaPath, expectedCount) => {
    const full = await getJson<Array<Record<string, unknown>>>(`/qrs/${type}/full`);
    expect(full).toHaveLength(expectedCount());
    for (const entity of full) {
      expect(entity).toMatchObject({
        id: expect.stringMatching(GUID),
        createdDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        modifiedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        modifiedByUserName: 'INTERNAL\\sa_repository',
        customProperties: [],
        tags: expect.any(Array),
        privileges: null,
        schemaPath,
      });
    }
    expect(new Set(full.map((e) => e.id)).size).toBe(full.length);
  });

  it.each(TYPES)('%s: condensed, count and by id agree with the full list', async (type) => {
    const full = await getJson<Array<Record<string, unknown>>>(`/qrs/${type}/full`);
    const condensed = await getJson<Array<Record<string, unknown>>>(`/qrs/${type}`);
    expect(condensed.map((e) => e.id)).toEqual(full.map((e) => e.id));
    for (const [i, entity] of condensed.entries()) {
      // Condensed keeps the id and privileges and a subset of the full fields, never the bookkeeping ones.
      expect(entity.privileges).toBeNull();
      expect(entity).not.toHaveProperty('createdDate');
      expect(entity).not.toHaveProperty('schemaPath');
      for (const [key, value] of Object.entries(entity)) expect(full[i]![key], `${type}.${key}`).toEqual(value);
    }
    expect(await getJson(`/qrs/${type}/count`)).toEqual({ value: full.length });
    const first = full[0]!;
    expect(await getJson(`/qrs/${type}/${String(first.id)}`)).toEqual(first);
    expect(await getJson(`/qrs/${type}/${String(first.id).toUpperCase()}`)).toEqual(first);
  });

  it('answers an unknown id with an empty 404 and a path that is not an id with 404', async () => {
    expect(await get('/qrs/app/00000000-0000-4000-8000-000000000000')).toEqual({ status: 404, text: '' });
    expect((await get('/qrs/app/a1-sales')).status).toBe(404);
  });

  it('matches type names without regard to case, like the QRS', async () => {
    expect(await getJson('/qrs/App/Count')).toEqual({ value: sim.site.apps.length });
  });

  it('keeps the shapes Qlik documents for condensed apps, users and server nodes', async () => {
    const [app] = await getJson<Array<Record<string, unknown>>>(`/qrs/app?filter=${encodeURIComponent("name eq 'Sales'")}`);
    expect(Object.keys(app!).sort()).toEqual(
      ['appId', 'availabilityStatus', 'id', 'migrationHash', 'name', 'privileges', 'publishTime', 'published', 'savedInProductVersion', 'stream'].sort(),
    );
    expect(app!.stream).toMatchObject({ id: expect.stringMatching(GUID), name: 'Everyone' });
    const [user] = await getJson<Array<Record<string, unknown>>>(`/qrs/user?filter=${encodeURIComponent("userId eq 'alice'")}`);
    expect(user).toEqual({
      id: expect.stringMatching(GUID),
      privileges: null,
      userId: 'alice',
      userDirectory: 'DEMO',
      userDirectoryConnectorName: 'DEMO',
      name: 'Alice Analyst',
    });
    const nodes = await getJson<Array<Record<string, unknown>>>('/qrs/servernodeconfiguration');
    expect(nodes[0]).toMatchObject({ name: 'central', hostName: sim.node('central').hostName, serviceCluster: expect.any(Object) });
  });
});

describe('filter, orderby and privileges on the wire', () => {
  const q = (path: string, params: Record<string, string>): string => `${path}?${new URLSearchParams(params).toString()}`;

  it('filters virtual proxies by prefix (the call that used to return every one)', async () => {
    const vps = await getJson<VpJson[]>(q('/qrs/virtualproxyconfig/full', { filter: "prefix eq 'ticket'" }));
    expect(vps.map((vp) => vp.prefix)).toEqual(['ticket']);
    expect(await getJson(q('/qrs/virtualproxyconfig/count', { filter: "prefix eq 'TICKET' or prefix eq ''" }))).toEqual({ value: 2 });
  });

  it('filters on nested fields, with not and parentheses, and by unquoted GUID', async () => {
    const rim = sim.node('rim1');
    const services = await getJson<ProxyServiceJson[]>(
      q('/qrs/proxyservice/full', { filter: `serverNodeConfiguration.hostName eq '${rim.hostName}' and serverNodeConfiguration.name eq 'rim1'` }),
    );
    expect(services.map((s) => s.settings.restListenPort)).toEqual([rim.qpsPort]);
    const rimId = qrsGuid('servernodeconfiguration', rim.nodeId);
    const balancedToRim = await getJson<VpJson[]>(
      q('/qrs/virtualproxyconfig/full', { filter: `loadBalancingServerNodes.id eq ${rimId} and not (prefix eq '' or prefix sw 'tick')` }),
    );
    expect(balancedToRim.length).toBeGreaterThan(0);
    expect(balancedToRim.every((vp) => vp.prefix !== '' && !vp.prefix.startsWith('tick'))).toBe(true);
    expect(balancedToRim.map((vp) => vp.prefix)).not.toContain('no-engines');
  });

  it('reads enum values by their names, and answers a write 405 before reading its filter', async () => {
    const header = await getJson<VpJson[]>(
      q('/qrs/virtualproxyconfig/full', { filter: "authenticationMethod eq HeaderStaticUserDirectory and prefix eq 'header'" }),
    );
    expect(header.map((vp) => vp.prefix)).toEqual(['header']);
    expect(await getJson(q('/qrs/virtualproxyconfig/count', { filter: 'anonymousAccessMode eq AlwaysAnonymous' }))).toEqual({ value: 1 });
    expect((await get(q('/qrs/virtualproxyconfig/count', { filter: 'anonymousAccessMode eq Sometimes' }))).status).toBe(400);
    expect((await get(q('/qrs/app', { filter: 'name eq' }), { method: 'POST' })).status).toBe(405);
  });

  it('orders by a field, descending when asked', async () => {
    const users = await getJson<Array<{ userId: string }>>(q('/qrs/user', { orderby: 'userId desc' }));
    expect(users.map((u) => u.userId)).toEqual(
      sim.site.users
        .map((u) => u.userId)
        .sort()
        .reverse(),
    );
  });

  it('answers a malformed filter or orderby with 400 naming the problem', async () => {
    for (const filter of ["prefix eq 'ticket", 'prefix eq', "prefix is 'x'", "(prefix eq 'x'", "nosuchfield eq 'x'"]) {
      const reply = await get(q('/qrs/virtualproxyconfig/full', { filter }));
      expect(reply.status, filter).toBe(400);
      expect(reply.text, filter).toMatch(/^Invalid filter: /);
    }
    const reply = await get(q('/qrs/user', { orderby: 'name sideways' }));
    expect(reply.status).toBe(400);
    expect(reply.text).toMatch(/^Invalid orderby: /);
  });

  it('fills privileges only when asked', async () => {
    const [app] = await getJson<Array<{ privileges: string[] | null }>>(q('/qrs/app/full', { privileges: 'true' }));
    expect(app!.privileges).toEqual(expect.arrayContaining(['read', 'update']));
    // A user who is not one of the repository's service accounts may read only.
    const asAlice = await get(q('/qrs/app', { privileges: 'true' }), { qlikUser: 'UserDirectory=DEMO; UserId=alice' });
    expect((JSON.parse(asAlice.text) as Array<{ privileges: string[] }>)[0]!.privileges).toEqual(['read']);
  });
});
