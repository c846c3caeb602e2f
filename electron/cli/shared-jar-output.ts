// The seed-003 report for a terminal: one row per tab and request, the shared and the isolated case side
// by side, then the reasons (too long for a cell) and the verdict. Words, not colours: "ok"/"FAIL", and
// whether that is what the scenario expects.
import { CASE_LABELS, PROBE_KINDS, PROBE_LABELS, probeStatusText, type ProbeOutcome, type SharedJarReport } from '../../shared/shared-jar';
import { prefixLabel } from '../../shared/virtual-proxy';
import { formatTable } from './output';

function cell(probe: ProbeOutcome | undefined): string {
  if (!probe) return '-';
  return `${probe.ok ? 'ok' : 'FAIL'} ${probeStatusText(probe)}${probe.ok === probe.expectedOk ? '' : ' (UNEXPECTED)'}`;
}

export function formatSharedJarReport(report: SharedJarReport): string {
  const [shared, isolated] = report.cases;
  const rows = [1, 2].flatMap((tab) =>
    PROBE_KINDS.map((kind) => {
      const of = (c: typeof shared) => c?.tabs.find((t) => t.tab === tab);
      const first = of(shared) ?? of(isolated);
      return {
        tab: String(tab),
        user: first?.user ?? '',
        app: first?.appId ?? '',
        request: PROBE_LABELS[kind],
        shared: cell(of(shared)?.probes.find((p) => p.kind === kind)),
        isolated: cell(of(isolated)?.probes.find((p) => p.kind === kind)),
      };
    }),
  );
  const table = formatTable(rows, [
    { header: 'Tab', value: (r) => r.tab },
    { header: 'User', value: (r) => r.user },
    { header: 'App', value: (r) => r.app },
    { header: 'Request', value: (r) => r.request },
    { header: CASE_LABELS.shared, value: (r) => r.shared },
    { header: CASE_LABELS.isolated, value: (r) => r.isolated },
  ]);
  const lines = [
    `Seed 003 side by side on ${prefixLabel(report.virtualProxy)} at ${report.proxy}`,
    "Expected: in one shared partition tab 1's HTTP requests fail while its WebSocket keeps working, and tab 2 works; in two isolated partitions everything works.",
    '',
    table,
    '',
  ];
  for (const c of report.cases) {
    lines.push(`${CASE_LABELS[c.case]}: ${c.summary}`);
    for (const tab of c.tabs) {
      if (!tab.opened) lines.push(`  tab ${tab.tab} did not open: ${tab.openDetail}`);
      lines.push(`  tab ${tab.tab} (jar "${tab.jar}"), session of ${tab.sessionUser ?? 'nobody'}:`);
      for (const p of tab.probes) lines.push(`    ${PROBE_LABELS[p.kind]}: ${p.reason}`);
    }
  }
  lines.push('', report.verdict);
  return lines.join('\n');
}
