import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { DEMO_DELIBERATE_MISTAKES, demoJwtSigningPair, demoSite, generateSite } from '../../electron/simulator/demo-site';
import { placeNodes } from '../../electron/simulator/node-addresses';
import { toPfx } from '../../electron/simulator/pki';
import { parseSiteDescription, SiteFileError, userMayOpenApp } from '../../electron/simulator/site';
import { QMC_EXPORT_FILES, writeQmcExport } from '../../electron/simulator/site-pki';
import { testPki } from '../support/test-site';

describe('the site PKI', () => {
  const pki = testPki();

  it('issues a CA, a CN=QlikClient client certificate for client auth, and server certificates per host name', () => {
    const ca = new X509Certificate(pki.ca.certPem);
    expect(ca.ca).toBe(true);
    const client = new X509Certificate(pki.client.certPem);
    expect(client.subject).toBe('CN=QlikClient');
    expect(client.checkIssued(ca)).toBe(true);
    expect(client.verify(ca.publicKey)).toBe(true);
    expect(client.checkPrivateKey(createPrivateKey(pki.client.keyPem))).toBe(true);
    const server = new X509Certificate(pki.serverFor('qlik-central.example').certPem);
    expect(server.subjectAltName).toBe('DNS:qlik-central.example');
    expect(server.checkHost('qlik-central.example')).toBe('qlik-central.example');
    expect(server.checkHost('other.example')).toBeUndefined();
    expect(pki.serverFor('qlik-central.example')).toBe(pki.serverFor('qlik-central.example'));
    // A node on its own address: the certificate names its host name and that address.
    const placed = new X509Certificate(pki.serverFor('qlik-central.example', '127.0.0.2').certPem);
    expect(placed.subjectAltName).toBe('DNS:qlik-central.example, IP Address:127.0.0.2');
    expect(placed.checkIP('127.0.0.2')).toBe('127.0.0.2');
    expect(placed.checkIP('127.0.0.3')).toBeUndefined();
    // Nodes differ by the names their certificates hold, not by keys (one key keeps a 64-node start quick).
    const other = new X509Certificate(pki.serverFor('qlik-rim.example', '127.0.0.3').certPem);
    expect(other.publicKey.export({ type: 'spki', format: 'der' })).toEqual(placed.publicKey.export({ type: 'spki', format: 'der' }));
    expect(other.checkPrivateKey(createPrivateKey(pki.serverFor('qlik-rim.example', '127.0.0.3').keyPem))).toBe(true);
  });

  it('makes PFX files Node can load, in AES-256 and legacy 3DES', () => {
    for (const algorithm of ['aes256', '3des'] as const) {
      const pfx = toPfx(pki.client, pki.ca.certPem, 'pass-word', algorithm);
      expect(() => tls.createSecureContext({ pfx, passphrase: 'pass-word' })).not.toThrow();
      expect(() => tls.createSecureContext({ pfx, passphrase: 'wrong' })).toThrow();
    }
  });

  it('exports the four QMC files, readable by the owner only', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'usher-pki-')), 'export');
    writeQmcExport(pki, dir);
    for (const name of Object.values(QMC_EXPORT_FILES)) {
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(join(dir, 'root.pem'), 'utf8')).toBe(pki.ca.certPem);
    expect(readFileSync(join(dir, 'client_key.pem'), 'utf8')).toContain('BEGIN RSA PRIVATE KEY');
    expect(() => tls.createSecureContext({ pfx: readFileSync(join(dir, 'client.pfx')), passphrase: pki.pfxPassphrase })).not.toThrow();
  });
});

describe('site descriptions', () => {
  it('the demo site: two nodes, five working virtual proxies with their cookie names, seed-003 app rules', () => {
    const site = demoSite();
    expect(site.nodes.map((n) => n.name)).toEqual(['central', 'rim1']);
    expect(site.virtualProxies.slice(0, 5).map((vp) => [vp.prefix, vp.sessionCookieHeaderName, vp.authenticationMethod])).toEqual([
      ['', 'X-Qlik-Session', 0],
      ['ticket', 'X-Qlik-Session-ticket', 0],
      ['header', 'X-Qlik-Session-header', 1],
      ['jwt', 'X-Qlik-Session-jwt', 4],
      ['header-dynamic', 'X-Qlik-Session-header-dynamic', 2],
    ]);
    // /jwt verifies with the demo signing pair's certificate unless a held one is given.
    expect(site.virtualProxies[3]!.jwtPublicKeyCertificate).toBe(demoJwtSigningPair().certificatePem);
    expect(demoSite({ jwtCertificatePem: 'held' }).virtualProxies[3]!.jwtPublicKeyCertificate).toBe('held');
    // Then one virtual proxy per deliberate mistake, each saying which in its description.
    for (const vp of site.virtualProxies.slice(5)) expect(vp.description).toMatch(/^Deliberate mistake \([a-z-]+\): /);
    // Every deliberate mistake names a virtual proxy of the site, and no rule-and-proxy pair twice.
    const prefixes = new Set(site.virtualProxies.map((vp) => vp.prefix));
    expect(DEMO_DELIBERATE_MISTAKES.every((m) => prefixes.has(m.virtualProxy))).toBe(true);
    expect(new Set(DEMO_DELIBERATE_MISTAKES.map((m) => `${m.rule} ${m.virtualProxy}`)).size).toBe(DEMO_DELIBERATE_MISTAKES.length);
    // rim1 links only what the console's demo story uses there.
    expect(site.nodes[1]!.virtualProxies).toEqual(['vp-default', 'vp-ticket']);
    expect(userMayOpenApp(site, 'a1-sales', { userDirectory: 'MASHUP', userId: 'a1-sales' })).toBe(true);
    expect(userMayOpenApp(site, 'a1-sales', { userDirectory: 'MASHUP', userId: 'a2-finance' })).toBe(false);
    expect(userMayOpenApp(site, 'a3-hr', { userDirectory: 'demo', userId: 'alice' })).toBe(true);
  });

  it('generates large sites', () => {
    const site = generateSite({ nodes: 3, virtualProxies: 300 });
    expect(site.nodes).toHaveLength(3);
    expect(site.virtualProxies).toHaveLength(300);
    expect(site.nodes.every((n) => n.virtualProxies.length === 300)).toBe(true);
    expect(new Set(site.virtualProxies.map((vp) => vp.sessionCookieHeaderName)).size).toBe(300);
  });

  it('names the first problem of a bad site file with its location', () => {
    const refuses = (input: unknown, message: string | RegExp) => {
      const parse = () => parseSiteDescription(input);
      expect(parse).toThrow(SiteFileError);
      expect(parse).toThrow(typeof message === 'string' ? expect.objectContaining({ message }) : message);
    };
    refuses([], 'the site file: must be an object, got an array');
    refuses({ nodes: [] }, 'nodes: must hold at least one node');
    refuses({ nodes: [{ id: 'n' }], users: [{ userDirectory: 'D', userId: 7 }] }, 'users[0].userId: must be a string, got a number');
    refuses(
      { nodes: [{ id: 'n' }], virtualProxies: [{ id: 'v', sessionInactivityTimeout: 0 }] },
      'virtualProxies[0].sessionInactivityTimeout: must be a positive number',
    );
    refuses(
      { nodes: [{ id: 'n', name: 'n', hostName: 'h', virtualProxies: [] }], virtualProxies: [{ id: 'v', prefix: 'Sales' }] },
      /virtualProxies\[0\].*prefix/,
    );
    refuses({ nodes: [{ id: 'n', name: 'n', hostName: 'h', qpsPort: 70000, virtualProxies: [] }] }, /nodes\[0\].*qpsPort/);
    refuses(
      { nodes: [{ id: 'n', hostName: 'h' }], virtualProxies: [{ id: 'v', prefix: 'v', loadBalancingServerNodes: ['gone'] }] },
      'virtual proxy "v": balances to node "gone", which the file does not define',
    );
  });

  it('refuses a node address that is not IPv4 loopback', () => {
    for (const address of ['10.0.0.2', '::1', 'localhost', '127.0.0']) {
      expect(() => parseSiteDescription({ nodes: [{ id: 'n', address }] }), address).toThrow(/nodes\[0\]\.address: .* must be an IPv4 loopback address/);
    }
    expect(parseSiteDescription({ nodes: [{ id: 'n', address: '127.0.4.9' }] }).nodes[0]).toMatchObject({ address: '127.0.4.9', hostName: '' });
  });

  it('places nodes: own addresses per node, names kept, localhost when asked', () => {
    const site = parseSiteDescription({
      nodes: [{ id: 'a' }, { id: 'b', hostName: 'rim.qlik.test' }, { id: 'c', address: '127.0.7.7' }, { id: 'd', hostName: 'localhost' }],
    });
    const perNode = placeNodes(site, 'per-node', 3).nodes.map((n) => [n.address, n.hostName, n.addressPicked]);
    expect(perNode).toEqual([
      ['127.0.3.2', '127.0.3.2', true],
      ['127.0.3.3', 'rim.qlik.test', true],
      ['127.0.7.7', '127.0.7.7', false],
      ['127.0.0.1', 'localhost', false],
    ]);
    const local = placeNodes(site, 'localhost', 0).nodes.map((n) => [n.address, n.hostName]);
    expect(local).toEqual([
      ['127.0.0.1', 'localhost'],
      ['127.0.0.1', 'rim.qlik.test'],
      ['127.0.7.7', '127.0.7.7'],
      ['127.0.0.1', 'localhost'],
    ]);
  });

  it('balances to every node unless the file says otherwise, an empty list included', () => {
    const site = parseSiteDescription({
      nodes: [
        { id: 'a', hostName: 'h' },
        { id: 'b', hostName: 'h' },
      ],
      virtualProxies: [
        { id: 'all', prefix: 'all' },
        { id: 'one', prefix: 'one', loadBalancingServerNodes: ['b'] },
        { id: 'none', prefix: 'none', loadBalancingServerNodes: [] },
      ],
    });
    expect(site.virtualProxies.map((vp) => [vp.id, vp.loadBalancingServerNodes])).toEqual([
      ['vp-default', ['a', 'b']],
      ['all', ['a', 'b']],
      ['one', ['b']],
      ['none', []],
    ]);
  });
});
