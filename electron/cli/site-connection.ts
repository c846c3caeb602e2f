// How a command reaches a site: by flags (addresses + certificate files), or by `--profile NAME` (a saved
// profile whose certificates come from the vault), with flags overriding the profile's addresses. The
// built-in demo profile starts the built-in site in this process for the command's lifetime.
import { QlikConnection } from '../core/qlik';
import type { Profile } from '../../shared/profile';
import { Simulator } from '../simulator/simulator';
import { demoSite } from '../simulator/demo-site';
import { openAppContext, type AppContext } from './app-context';
import { connectionOptionsFromFlags, parseBaseUrl, type ConnectionFlagValues } from './connection-flags';
import { UsageError } from './errors';

export interface SiteConnection {
  connection: QlikConnection;
  qps?: string;
  qrs?: string;
  /** The proxy front end of the QPS node, when known (profiles). */
  hub?: string;
  profile?: Profile;
  app?: AppContext;
  close(): Promise<void>;
}

export interface SiteFlagValues extends ConnectionFlagValues {
  profile?: string;
}

export const PROFILE_FLAG = { profile: { type: 'string' } } as const;

export async function openSiteConnection(values: SiteFlagValues): Promise<SiteConnection> {
  if (!values.profile) {
    const connection = new QlikConnection(await connectionOptionsFromFlags(values));
    return {
      connection,
      qps: values.qps ? parseBaseUrl('qps', values.qps, 4243) : undefined,
      qrs: values.qrs ? parseBaseUrl('qrs', values.qrs, 4242) : undefined,
      close: () => connection.close(),
    };
  }
  if (values.cert || values.key || values.pfx || values.ca) {
    throw new UsageError('--profile brings its own certificates; drop --cert, --key, --pfx and --ca');
  }
  const app = await openAppContext();
  const profile = await app.profiles.get(values.profile);
  const override = (flag: 'qps' | 'qrs', port: number): string | undefined => (values[flag] ? parseBaseUrl(flag, values[flag], port) : undefined);

  if (profile.builtIn) {
    const sim = await Simulator.start({ site: demoSite() });
    const central = sim.node('central');
    const connection = new QlikConnection({
      ca: sim.pki.ca.certPem,
      client: { certPem: sim.pki.client.certPem, keyPem: sim.pki.client.keyPem },
      timeoutMs: values['timeout-ms'] ? Number(values['timeout-ms']) : undefined,
    });
    return {
      connection,
      qps: override('qps', 4243) ?? central.qps,
      qrs: override('qrs', 4242) ?? central.qrs,
      hub: central.hub,
      profile,
      app,
      close: async () => {
        await connection.close();
        await sim.stop();
      },
    };
  }

  const set = await app.loadCertificates(profile);
  const connection = new QlikConnection({
    ca: set.caPem,
    client: { certPem: set.certPem, keyPem: set.keyPem },
    timeoutMs: values['timeout-ms'] ? Number(values['timeout-ms']) : undefined,
  });
  const node = profile.nodes.find((n) => n.qps === profile.qps) ?? profile.nodes[0];
  return {
    connection,
    qps: override('qps', 4243) ?? profile.qps,
    qrs: override('qrs', 4242) ?? profile.qrs,
    hub: node?.proxy,
    profile,
    app,
    close: () => connection.close(),
  };
}
