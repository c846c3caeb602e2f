// `usher demo`: starts the built-in site in-process and walks the whole story, a line per step.
import { runDemoStory, type StepResult } from '../../core/demo/story';
import { demoSite } from '../../simulator/demo-site';
import { Simulator } from '../../simulator/simulator';
import * as v from 'valibot';
import { parseCommand, type Command } from '../command';
import { switchFlag } from '../flag-schema';
import { CommandFailed } from '../errors';
import { indent, printJson, printLine } from '../output';
import { formatSharedJarReport } from '../shared-jar-output';
import { keptSiteCertificates } from '../site-certs';

const USAGE = `
usage: usher demo [--json]

Starts the built-in demo site (2 nodes, a ticket virtual proxy with an authentication module) and walks
the ticketing story: trust, module redirect, ticket, two isolated cookie jars, seed 003 side by side
(app A1 as user A1 and app A2 as user A2, in one shared jar and then in a jar each; per tab the app
page, a selection and an export started over the engine WebSocket, a content-library image and the
export's download), the session inventory, and ending the sessions. Exit 0 only if every step behaved
as a real site does (for seed 003: in the shared jar tab 1's WebSocket works while its HTTP requests
fail, everything works in isolated jars); otherwise it names what differed and exits 1.
`;

function formatStep(step: StepResult, index: number): string {
  return `${step.ok ? 'ok  ' : 'FAIL'} ${index + 1}. ${step.title}\n       ${step.detail} (${Math.round(step.ms)} ms)`;
}

export const demoCommand: Command = {
  usage: USAGE,
  async run(argv) {
    const values = parseCommand(argv, { json: { type: 'boolean' } }, v.object({ json: switchFlag }), 'demo');
    if (!values.json) printLine('Starting the built-in Qlik Sense site (2 nodes, in memory)...');
    const kept = keptSiteCertificates();
    const sim = await Simulator.start({ site: demoSite(kept ? { jwtCertificatePem: kept.jwt.certificatePem } : {}), ...(kept ? { pki: kept.pki } : {}) });
    try {
      const central = sim.node('central');
      if (!values.json) printLine(`  central: hub ${central.hub}  QPS ${central.qps}  QRS ${central.qrs}`);
      let index = 0;
      const results = await runDemoStory(
        {
          hub: central.hub,
          qps: central.qps,
          qrs: central.qrs,
          ca: sim.pki.ca.certPem,
          client: { certPem: sim.pki.client.certPem, keyPem: sim.pki.client.keyPem },
          prefix: 'ticket',
          first: { user: { userDirectory: 'MASHUP', userId: 'a1-sales' }, appId: 'a1-sales', image: 'logo.png' },
          second: { user: { userDirectory: 'MASHUP', userId: 'a2-finance' }, appId: 'a2-finance', image: 'logo.png' },
        },
        (step) => {
          if (values.json) return;
          printLine(formatStep(step, index++));
          if (step.sharedJar) printLine(indent(formatSharedJarReport(step.sharedJar), ' '.repeat(7)));
        },
      );
      const failed = results.filter((r) => !r.ok).length;
      const expectedSteps = 7;
      if (values.json) printJson({ ok: failed === 0 && results.length === expectedSteps, steps: results });
      if (failed > 0 || results.length !== expectedSteps) {
        throw new CommandFailed(`the demo did not behave: ${failed} step(s) failed, ${results.length} of ${expectedSteps} ran`);
      }
      if (!values.json) printLine(`\nAll ${results.length} steps behaved as a real Qlik Sense site does.`);
    } finally {
      await sim.stop();
    }
  },
};
