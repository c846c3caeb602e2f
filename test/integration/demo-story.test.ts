// The demo story's reporting: a failed step names the cause and the fix, whichever client failed; the
// seed-003 step carries the side-by-side report and fails, saying why, when the site does not clobber.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { beforeAll, expect, it } from 'vitest';
import { runDemoStory, type StorySite } from '../../electron/core/demo/story';
import type { Simulator } from '../../electron/simulator/simulator';
import { startTestSite } from '../support/test-site';

let sim: Simulator;

beforeAll(async () => {
  sim = await startTestSite();
});

/** The story against the test site's central node: MASHUP\a1-sales then MASHUP\a2-finance on /ticket. */
function story(overrides: Partial<StorySite> = {}): ReturnType<typeof runDemoStory> {
  const central = sim.node('central');
  return runDemoStory(
    {
      hub: central.hub,
      qps: central.qps,
      qrs: central.qrs,
      ca: sim.pki.ca.certPem,
      client: sim.pki.client,
      prefix: 'ticket',
      first: { user: { userDirectory: 'MASHUP', userId: 'a1-sales' }, appId: 'a1-sales', image: 'logo.png' },
      second: { user: { userDirectory: 'MASHUP', userId: 'a2-finance' }, appId: 'a2-finance', image: 'logo.png' },
      ...overrides,
    },
    () => undefined,
  );
}

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

it('stops at a browser failure and keeps its hint in the step detail', async () => {
  // QPS and QRS answer; the proxy front end the browser goes to does not.
  const steps = await story({ hub: `https://localhost:${await closedPort()}` });
  expect(steps.map((s) => s.ok)).toEqual([true, false]);
  expect(steps[1]!.detail).toMatch(/refused the connection/);
  expect(steps[1]!.detail).toMatch(/Nothing listens on that port/);
});

it('runs seed 003 side by side as its fifth step and attaches the report', async () => {
  const steps = await story();
  expect(steps.map((s) => s.ok)).toEqual([true, true, true, true, true, true, true]);
  const report = steps[4]!.sharedJar!;
  expect(steps.filter((s) => s.sharedJar)).toHaveLength(1);
  expect(report.asExpected).toBe(true);
  // Per tab: app page, selection over the WebSocket (0: no HTTP status), image, export started over the
  // WebSocket, export download. Tab 1's socket keeps working in the shared jar; its HTTP requests do not.
  expect(report.cases.map((c) => c.tabs.map((t) => t.probes.map((p) => `${p.status}${p.ok ? '' : '!'}`)))).toEqual([
    [
      ['403!', '0', '403!', '0', '403!'],
      ['200', '0', '200', '0', '200'],
    ],
    [
      ['200', '0', '200', '0', '200'],
      ['200', '0', '200', '0', '200'],
    ],
  ]);
});

it('fails the seed-003 step, naming why, when both users may open both apps', async () => {
  const steps = await story({
    first: { user: { userDirectory: 'DEMO', userId: 'alice' }, appId: 'a1-sales', image: 'logo.png' },
    second: { user: { userDirectory: 'DEMO', userId: 'bob' }, appId: 'a2-finance', image: 'logo.png' },
  });
  expect(steps.map((s) => s.ok)).toEqual([true, true, true, true, false]);
  expect(steps[4]!.detail).toMatch(/^The site did not behave as seed 003 describes: .*DEMO\\bob may open app "a1-sales" too/);
  expect(steps[4]!.sharedJar?.asExpected).toBe(false);
});
