// The demo story: the whole ticketing flow, and the seed-003 failure side by side, walked against a site through the
// same protocol core and browser the console uses. Each step checks what a real site would do and
// reports it; the CLI prints the steps, the desktop app will show them.
import { appendQlikTicket } from '../../../shared/ticket-url';
import { formatUser, sameUser, type UserRef } from '../../../shared/user';
import { BrowserClient, CookieJar, type BrowserResponse } from '../browser';
import { errorReason } from '../error-text';
import { QlikConnection, type ClientCertificate } from '../qlik';
import { createNodeTabs } from '../scenarios/node-tabs';
import { runSharedJarScenario } from '../scenarios/shared-jar';
import type { SharedJarReport, SharedJarSide } from '../../../shared/shared-jar';
import { findSessionCookie } from '../sessions/cookie-sessions';
import { discoverNodes, endUserSessions, listAllSessions, pairCount, type NodeTarget } from '../sessions/inventory';

export interface StorySite {
  /** Base URLs of the node the story starts on. */
  hub: string;
  qps: string;
  qrs: string;
  ca: string;
  client: ClientCertificate;
  /** A ticket virtual proxy with an external authentication module, and two users guarded by app rules. */
  prefix: string;
  first: { user: UserRef; appId: string; image: string };
  second: { user: UserRef; appId: string; image: string };
}

export interface StepResult {
  title: string;
  ok: boolean;
  detail: string;
  ms: number;
  /** The seed-003 step's side-by-side report, for the caller to show per tab and request. */
  sharedJar?: SharedJarReport;
}

/** A step failed: what was expected against what happened. */
class StepFailure extends Error {}

function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new StepFailure(message);
}

interface ModuleRedirect {
  proxyRestUri: string;
  targetId: string;
}

// Over 80 lines on purpose: its steps run in the order the ticketing story tells them, each a short block with its own
// early return; split up, that order would have to be read across functions.
export async function runDemoStory(site: StorySite, onStep: (step: StepResult) => void): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const connection = new QlikConnection({ ca: site.ca, client: site.client });
  const hubOrigin = new URL(site.hub).origin;
  // A browser follows redirects within the site; the module lives elsewhere, so stop there and look.
  const onSite = (url: string): boolean => new URL(url).origin !== hubOrigin;
  const browsers: BrowserClient[] = [];
  const browser = (): BrowserClient => {
    const client = new BrowserClient({ ca: site.ca, jar: new CookieJar(), maxRedirects: 5 });
    browsers.push(client);
    return client;
  };
  const vpPath = `${site.hub}/${site.prefix}`;
  let nodes: NodeTarget[] = [];
  let sharedJar: SharedJarReport | undefined;
  let aborted = false;

  const step = async (title: string, body: () => Promise<string>): Promise<void> => {
    if (aborted) return;
    const started = performance.now();
    let result: StepResult;
    try {
      const detail = await body();
      result = { title, ok: true, detail, ms: performance.now() - started };
    } catch (err) {
      // Both clients' errors carry a hint naming the fix; a step must not drop it.
      result = { title, ok: false, detail: errorReason(err), ms: performance.now() - started };
      // Later steps build on earlier ones; after a failure they would only report noise.
      aborted = true;
    }
    if (sharedJar && !results.some((r) => r.sharedJar)) result.sharedJar = sharedJar;
    results.push(result);
    onStep(result);
  };

  const moduleRedirect = (response: BrowserResponse): ModuleRedirect => {
    // The browser stops at the module's origin: the last response is that 302, not yet followed.
    const location = response.headers.location;
    expect(response.status === 302 && typeof location === 'string', `expected a 302 to the authentication module, got ${response.status}`);
    const url = new URL(location, response.url);
    const proxyRestUri = url.searchParams.get('proxyRestUri');
    const targetId = url.searchParams.get('targetId');
    expect(proxyRestUri !== null && targetId !== null, `the module redirect lacks proxyRestUri or targetId: ${url.href}`);
    return { proxyRestUri, targetId };
  };

  /** The module's job: a browser arrives, gets a ticket for `user`, lands on the target with it. */
  const logIn = async (client: BrowserClient, user: UserRef, path: string): Promise<{ ticketUrl: string; page: BrowserResponse }> => {
    const first = await client.get(`${vpPath}${path}`, { stopAt: onSite });
    const { proxyRestUri, targetId } = moduleRedirect(first);
    const ticket = await connection.qpsFromRestUri(proxyRestUri).requestTicket({ ...user, targetId });
    expect(ticket.targetUri !== undefined, 'QPS returned no TargetUri for the targetId the proxy issued');
    const ticketUrl = appendQlikTicket(ticket.targetUri, ticket.ticket);
    const page = await client.get(ticketUrl, { stopAt: onSite });
    expect(page.status === 200, `redeeming the ticket should land on the page (200), got ${page.status} at ${page.url}`);
    return { ticketUrl, page };
  };

  const status = async (client: BrowserClient, path: string): Promise<number> => (await client.get(`${vpPath}${path}`, { stopAt: onSite })).status;
  const imagePath = (s: StorySite['first']): string => `/appcontent/${s.appId}/${s.image}`;

  try {
    await step('Trust the certificates (root.pem pinned, client certificate presented)', async () => {
      const about = await connection.qrs(site.qrs).about();
      nodes = await discoverNodes(connection, site.qrs);
      return `QRS ${about.buildVersion} answered over mutual TLS; ${nodes.length} proxy nodes, ${pairCount(nodes)} node/virtual proxy pairs`;
    });

    const jarA = browser();
    let firstTicketUrl = '';
    await step(`Log ${formatUser(site.first.user)} in through the module (no cookie -> module -> ticket -> session)`, async () => {
      const { ticketUrl, page } = await logIn(jarA, site.first.user, `/sense/app/${site.first.appId}`);
      firstTicketUrl = ticketUrl;
      const cookie = findSessionCookie(jarA.jar.list(), undefined);
      expect(cookie !== undefined, 'no session cookie was set');
      return `302 to the module with proxyRestUri + targetId, ticket redeemed, cookie ${cookie.name} set, app page ${page.status}`;
    });

    await step('Reuse the same ticket in a fresh browser (single use)', async () => {
      const again = await browser().get(firstTicketUrl, { stopAt: onSite });
      moduleRedirect(again);
      return 'refused: the browser is sent back to the authentication module';
    });

    const jarB = browser();
    await step('Two separate cookie jars, two users: both sessions alive', async () => {
      await logIn(jarB, site.second.user, `/sense/app/${site.second.appId}`);
      const a = await status(jarA, imagePath(site.first));
      const b = await status(jarB, imagePath(site.second));
      expect(a === 200 && b === 200, `each user's app image should load (200/200), got ${a}/${b}`);
      return `${formatUser(site.first.user)} image ${a}, ${formatUser(site.second.user)} image ${b}`;
    });

    await step('Seed 003 side by side: one shared cookie jar, then a jar per tab', async () => {
      // The scenario module owns this concern (the console runs the same one in real browser partitions).
      const qps = connection.qps(site.qps, site.prefix);
      const side = (s: StorySite['first']): SharedJarSide => ({ ...s.user, appId: s.appId, image: imagePath(s).slice(1) });
      const report = await runSharedJarScenario({
        proxy: site.hub,
        virtualProxy: site.prefix,
        a: side(site.first),
        b: side(site.second),
        tabs: createNodeTabs({ ca: site.ca, proxy: site.hub }),
        ticket: async (user) => (await qps.requestTicket(user)).ticket,
        endSession: async (_user, sessionId) => void (await qps.deleteSession(sessionId)),
      });
      sharedJar = report;
      expect(report.asExpected, report.verdict);
      return report.verdict;
    });

    await step('List every session across nodes and virtual proxies', async () => {
      const inventory = await listAllSessions(connection, nodes);
      expect(inventory.failures.length === 0, `some nodes could not be asked: ${inventory.failures.map((f) => f.message).join('; ')}`);
      const ours = inventory.sessions.filter((s) => [site.first.user, site.second.user].some((u) => sameUser(u, s)));
      // The two logins above; the seed-003 scenario ends the four sessions it makes itself.
      expect(ours.length === 2, `expected the 2 sessions made above, found ${ours.length}`);
      return `${inventory.sessions.length} sessions on ${new Set(inventory.sessions.map((s) => s.nodeName)).size} node(s); 2 made by this demo`;
    });

    await step('End the sessions (QPS delete by user on every node)', async () => {
      let ended = 0;
      for (const user of [site.first.user, site.second.user]) ended += (await endUserSessions(connection, nodes, user)).sessions.length;
      const after = await status(jarA, imagePath(site.first));
      expect(after === 302, `after logout the old cookie should send the browser to the module (302), got ${after}`);
      return `${ended} sessions ended; the old cookie now leads back to the module`;
    });
  } finally {
    await Promise.all([connection.close(), ...browsers.map((b) => b.close())]);
  }
  return results;
}
