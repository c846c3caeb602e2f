// The built-in demo site as a profile. The CLI lists it before the site runs (its addresses are only
// known once it listens); the console starts the site first and hands in what the running site says.
import type { Profile, ProfileNode, ProfileVirtualProxy } from '../../../shared/profile';

export const DEMO_PROFILE_ID = 'demo';

/** What the running demo site contributes: its addresses and what QRS discovery found. */
export interface RunningDemoSite {
  qps: string;
  qrs: string;
  nodes: ProfileNode[];
  virtualProxies: ProfileVirtualProxy[];
  /** ISO 8601. */
  discoveredAt: string;
}

/** The built-in site as a profile: always there, nothing to set up; its addresses exist once it runs. */
export function demoProfile(running?: RunningDemoSite): Profile {
  // A fixed time: the profile is made fresh on every start, and a changing date would suggest an edit.
  const epoch = '2026-01-01T00:00:00.000Z';
  const profile: Profile = {
    id: DEMO_PROFILE_ID,
    name: 'demo',
    qps: running?.qps ?? 'https://localhost',
    qrs: running?.qrs ?? 'https://localhost',
    defaultVirtualProxy: 'ticket',
    defaultUserDirectory: 'DEMO',
    nodes: running?.nodes ?? [],
    virtualProxies: running?.virtualProxies ?? [],
    builtIn: true,
    createdAt: epoch,
    updatedAt: epoch,
  };
  if (running) profile.discoveredAt = running.discoveredAt;
  return profile;
}
