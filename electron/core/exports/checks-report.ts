// The virtual proxy checks as files other tools read: Markdown (a pull request, a wiki page, a ticket)
// and JUnit XML (CI test reports). One rendering for both faces: `usher check --format markdown|junit`
// prints these, the console saves them.
import { plural } from '../../../shared/plural';
import { prefixLabel } from '../../../shared/virtual-proxy';
import { SEVERITY_ORDER, type VpFinding } from '../../../shared/vp-findings';

export interface ChecksReport {
  /** The prefixes of every virtual proxy checked, in QRS's order ('' = the default one). */
  checked: string[];
  findings: VpFinding[];
  /** What the run was about (site, origin, probe), as JUnit properties; the Markdown names them under its summary. */
  properties?: Array<{ name: string; value: string }>;
  /** How long the run took, for JUnit's time attribute. */
  durationMs?: number;
}

/** `22 virtual proxies checked: 15 errors, 4 warnings, 0 info`. */
export function checksSummary({ checked, findings }: Pick<ChecksReport, 'checked' | 'findings'>): string {
  const counts = SEVERITY_ORDER.map((s) => {
    const n = findings.filter((f) => f.severity === s).length;
    return s === 'info' ? `${n} info` : plural(n, s);
  }).join(', ');
  return `${checked.length} virtual ${checked.length === 1 ? 'proxy' : 'proxies'} checked: ${counts}`;
}

/** A table cell: one line, pipes escaped, no HTML a Markdown renderer would act on. */
function cell(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A code span that holds any text: the fence is one backtick longer than the longest run inside. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${cell(text)}${pad}${fence}`;
}

export function checksMarkdown(report: ChecksReport): string {
  const about = (report.properties ?? []).map((p) => `- ${cell(p.name)}: ${cell(p.value)}`);
  return [
    `**${checksSummary(report)}**`,
    ...(about.length > 0 ? ['', ...about] : []),
    '',
    '| Severity | Virtual proxy | Field | Problem | Fix |',
    '| --- | --- | --- | --- | --- |',
    ...report.findings.map((f) => `| ${f.severity} | ${cell(prefixLabel(f.virtualProxy))} | ${code(f.field)} | ${cell(f.problem)} | ${cell(f.fix)} |`),
  ].join('\n');
}

/**
 * Text safe in an XML 1.0 attribute or element: markup escaped, and the characters XML cannot carry at all
 * (controls other than tab and line ends, lone surrogates, U+FFFE/U+FFFF) dropped, since a site's
 * descriptions reach the report and a parser refuses the whole file over one of them.
 */
export function xmlText(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/**
 * One test case per virtual proxy: an error finding is a failure, warnings and info are its output, so
 * a CI report lists every virtual proxy and fails on the ones with errors.
 */
export function checksJUnit(report: ChecksReport): string {
  const { checked, findings } = report;
  const cases = checked.map((prefix) => {
    const own = findings.filter((f) => f.virtualProxy === prefix);
    const body = own
      .map((f) =>
        f.severity === 'error'
          ? `<failure type="${xmlText(f.rule)}" message="${xmlText(f.problem)}">${xmlText(`${f.field}: ${f.fix}`)}</failure>`
          : `<system-out>${xmlText(`${f.severity} ${f.rule} ${f.field}: ${f.problem} Fix: ${f.fix}`)}</system-out>`,
      )
      .join('');
    return `  <testcase classname="usher.check" name="${xmlText(prefixLabel(prefix))}">${body}</testcase>`;
  });
  const failures = checked.filter((p) => findings.some((f) => f.virtualProxy === p && f.severity === 'error')).length;
  const properties = report.properties?.length
    ? ['  <properties>', ...report.properties.map((p) => `    <property name="${xmlText(p.name)}" value="${xmlText(p.value)}"/>`), '  </properties>']
    : [];
  const time = report.durationMs !== undefined ? ` time="${(report.durationMs / 1000).toFixed(3)}"` : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="usher check" tests="${checked.length}" failures="${failures}" errors="0"${time}>`,
    ...properties,
    ...cases,
    '</testsuite>',
  ].join('\n');
}
