// How a command reaches a site: by flags (addresses + certificate files), or by `--profile NAME` (a saved
// profile whose certificates come from the vault), with flags overriding the profile's addresses. The
// built-in demo profile starts the built-in site in this process for the command's lifetime.
import { QLIK_DEFAULT_PORTS, QlikConnection, QlikError } from '../core/qlik';
import { discoverNodes } from '../core/sessions/inventory';
import { auditNodeName, type KnownNode } from '../core/operations/site';
import type { Profile } from '../../shared/profile';
import { Simulator } from '../simulator/simulator';
import { demoSite } from '../simulator/demo-site';
import type { SiteDescription } from '../simulator/site';
import { JwtKeyStore } from '../core/jwt/key-store';
import { DEMO_PROFILE_ID } from '../core/profiles/demo-profile';
import { usherDataDir } from '../core/paths';
import { AuditLog } from '../core/profiles';
import { openAppContext, reimportHint } from './app-context';
import { connectProfile } from '../core/operations/connect-profile';
import * as v from 'valibot';
import { CONNECTION_INPUT, connectionOptionsFromFlags, parseBaseUrl } from './connection-flags';
import { readFlag } from './flag-schema';
import { UsageError } from './errors';
import { keptSiteCertificates, keptSitePki } from './site-certs';

export interface SiteConnection {
  connection: QlikConnection;
  qps?: string;
  qrs?: string;
  /** The proxy front end of the QPS node, when known (profiles). */
  hub?: string;
  profile?: Profile;
  /** Where the command records the tickets and sessions it creates or ends. */
  audit: AuditLog;
  /** The site CA (root.pem), for commands that also act as a browser on the site's proxy. */
  caPem: string;
  close(): Promise<void>;
}

export const PROFILE_FLAG = { profile: { type: 'string' } } as const;

/** The flags that say how a command reaches a site, read into their values (a schema's entries). */
export const SITE_INPUT = { ...CONNECTION_INPUT, profile: v.optional(v.string()) };

export type SiteFlagValues = v.InferOutput<v.ObjectSchema<typeof SITE_INPUT, undefined>>;

/** `--hub`: the proxy browsers reach, as `https://host:port` (443 when no port). */
export const HUB_INPUT = {
  hub: readFlag((text) => {
    if (text.trim() === '') throw new UsageError('--hub is empty', 'for example --hub https://qlik.example.com');
    return parseBaseUrl('hub', text);
  }),
};

async function openSiteConnection(values: SiteFlagValues): Promise<SiteConnection> {
  if (!values.profile) {
    const options = await connectionOptionsFromFlags(values);
    const connection = new QlikConnection(options);
    return {
      connection,
      caPem: options.ca,
      qps: values.qps,
      qrs: values.qrs,
      audit: new AuditLog(usherDataDir()),
      close: () => connection.close(),
    };
  }
  if (values.cert || values.key || values.pfx || values.ca) {
    throw new UsageError('--profile brings its own certificates; drop --cert, --key, --pfx and --ca');
  }
  const timeoutMs = values['timeout-ms'];
  const app = await openAppContext();
  const profile = await app.profiles.get(values.profile);
  // The built-in site runs in this process for the command's lifetime.
  let sim: Simulator | undefined;
  const stopSite = async (): Promise<void> => {
    await sim?.stop();
  };
  try {
    const site = await connectProfile({
      profile,
      vault: app.vault,
      builtInSite: async () => {
        sim = await Simulator.start({ site: await builtInSite(), ...keptSitePki() });
        const { ca, client } = sim.pki;
        return { material: { caPem: ca.certPem, certPem: client.certPem, keyPem: client.keyPem }, central: sim.node('central') };
      },
      reimportHint: reimportHint(profile),
    });
    const { caPem, certPem, keyPem } = site.material;
    const connection = new QlikConnection({ ca: caPem, client: { certPem, keyPem }, timeoutMs });
    return {
      connection,
      caPem,
      qps: values.qps ?? site.qps,
      qrs: values.qrs ?? site.qrs,
      ...(site.hub ? { hub: site.hub } : {}),
      profile,
      audit: app.audit,
      close: async () => {
        await connection.close();
        await stopSite();
      },
    };
  } catch (err) {
    await stopSite();
    throw err;
  }
}

/**
 * The built-in demo site as this installation sees it: its /jwt virtual proxy carries the certificate of
 * the demo profile's JWT signing pair when Usher holds one (`usher jwt keygen --profile demo`), as if the
 * administrator had pasted it into the QMC; else the kept demo pair's (USHER_SITE_CERTS). Reads the
 * public certificate only: the vault stays closed.
 */
export async function builtInSite(): Promise<SiteDescription> {
  const app = await openAppContext();
  // A damaged list of pairs must not stop commands that have nothing to do with JWT; usher jwt reports it.
  const held = await new JwtKeyStore(app.dataDir, app.vault).held(DEMO_PROFILE_ID).catch(() => undefined);
  const jwtCertificatePem = held?.certificatePem ?? keptSiteCertificates()?.jwt.certificatePem;
  return demoSite(jwtCertificatePem === undefined ? {} : { jwtCertificatePem });
}

/** Opens the site connection, runs `work` with it, and closes it (and the built-in site) whatever happens. */
export async function withSiteConnection<T>(values: SiteFlagValues, work: (site: SiteConnection) => Promise<T>): Promise<T> {
  const site = await openSiteConnection(values);
  try {
    return await work(site);
  } finally {
    await site.close();
  }
}

/** The QPS or QRS base URL a command needs, from the flags or the profile. */
export function requireSiteUrl(site: SiteConnection, service: 'qps' | 'qrs'): string {
  const url = site[service];
  if (!url)
    throw new UsageError(`--${service} is required (or --profile NAME)`, `for example --${service} https://qlik.example.com:${QLIK_DEFAULT_PORTS[service]}`);
  return url;
}

/** The proxy browsers reach the site on: `--hub` (read by HUB_INPUT), or the profile's issuing node. */
export function siteProxy(site: SiteConnection, hub: string | undefined): string | undefined {
  return hub ?? site.hub;
}

/** The virtual proxy prefix a command works on (slashes trimmed): the flag, then `fallback`, then the profile's default. */
export function siteVirtualProxy(site: SiteConnection, flag: string | undefined, fallback?: string): string {
  return (flag ?? fallback ?? site.profile?.defaultVirtualProxy ?? '').replace(/^\/+|\/+$/g, '');
}

/**
 * Who an audit entry of a command names: the profile (or "(flags)") and the node whose QPS was asked,
 * by the core's one rule: its name where the profile or QRS (`--qrs`) lists the site's nodes, else its
 * host name. A QRS that cannot be asked only costs the name: the command's own work does not need it.
 */
export async function auditSite(site: SiteConnection, qps: string): Promise<{ profile: string; node: string }> {
  let nodes: KnownNode[] = site.profile?.nodes ?? [];
  if (!site.profile && site.qrs) {
    try {
      nodes = (await discoverNodes(site.connection, site.qrs)).map((n) => ({ name: n.nodeName, qps: n.qpsBaseUrl }));
    } catch (err) {
      if (!(err instanceof QlikError)) throw err;
    }
  }
  return { profile: site.profile?.id ?? '(flags)', node: auditNodeName(qps, nodes) };
}
