// The seed-003 report the fake main process answers with: the shared case fails tab 1 as the seed
// describes, the isolated case works. Built by a helper so tests can derive other outcomes from it.
import type { SharedJarRunView } from '../../shared/ipc/contract';
import { PROBE_KINDS, WEBSOCKET_PROBES, type JarCase, type ProbeKind, type ProbeOutcome, type TabOutcome } from '../../shared/shared-jar';

const PATHS: Record<ProbeKind, (app: string) => string> = {
  app: (app) => `/ticket/sense/app/${app}`,
  engine: (app) => `/ticket/app/${app}`,
  image: (app) => `/ticket/appcontent/${app}/logo.png`,
  'export-start': (app) => `/ticket/app/${app}`,
  export: (app) => `/ticket/tempcontent/${app}-export-id/${app}.csv`,
};

function probe(kind: ProbeKind, app: string, ok: boolean, expectedOk: boolean, reason: string): ProbeOutcome {
  if (WEBSOCKET_PROBES.has(kind))
    return { kind, path: PATHS[kind](app), ok: true, expectedOk: true, status: 0, bytes: 0, reason: 'app open, "North" selected in Region over the WebSocket' };
  return { kind, path: PATHS[kind](app), ok, expectedOk, status: ok ? 200 : 403, bytes: ok ? 100 : 0, reason };
}

function tab(tabNo: 1 | 2, jarCase: JarCase, works: boolean, sessionUser: string): TabOutcome {
  const user = tabNo === 1 ? 'MASHUP\\a1-sales' : 'MASHUP\\a2-finance';
  const app = tabNo === 1 ? 'a1-sales' : 'a2-finance';
  const expectedOk = jarCase === 'isolated' || tabNo === 2;
  const reason = works ? `200: served to ${sessionUser}` : `403: the jar's session cookie now belongs to ${sessionUser}, who may not open app "${app}"`;
  return {
    tab: tabNo,
    user,
    appId: app,
    jar: jarCase === 'shared' ? 'shared' : `tab ${tabNo}`,
    opened: true,
    openDetail: `app page 200, session of ${user}`,
    sessionUser,
    probes: PROBE_KINDS.map((kind) => probe(kind, app, works, expectedOk, reason)),
  };
}

export const sharedJarRun: SharedJarRunView = {
  profileId: 'demo',
  hostKind: 'chromium',
  virtualProxy: 'ticket',
  proxy: 'https://localhost:8443',
  asExpected: true,
  verdict: 'Seed 003 reproduced: in one shared jar the second ticket breaks tab 1; in isolated partitions both tabs work.',
  cases: [
    {
      case: 'shared',
      asExpected: true,
      summary: "Tab 1 (MASHUP\\a1-sales) lost its session to tab 2's ticket. This is seed 003.",
      tabs: [tab(1, 'shared', false, 'MASHUP\\a2-finance'), tab(2, 'shared', true, 'MASHUP\\a2-finance')],
    },
    {
      case: 'isolated',
      asExpected: true,
      summary: 'Each tab keeps its own session: all 10 requests succeed.',
      tabs: [tab(1, 'isolated', true, 'MASHUP\\a1-sales'), tab(2, 'isolated', true, 'MASHUP\\a2-finance')],
    },
  ],
};
