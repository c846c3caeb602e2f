// Step 2: what inspecting the files found, finding by finding, with the fix for anything not green.
import type { CertificateReport, CertificateSummary } from '../../../../shared/certificates';
import { StatusLabel } from '../../components/StatusLabel';
import { Table } from '../../components/Table';

function CertificateCard({ title, cert }: { title: string; cert: CertificateSummary }) {
  return (
    <div className="card">
      <h3>{title}</h3>
      <dl>
        <dt>Subject</dt>
        <dd>{cert.subject}</dd>
        <dt>Issuer</dt>
        <dd>{cert.issuer}</dd>
        <dt>SHA-256</dt>
        <dd className="mono break">{cert.fingerprint256}</dd>
        <dt>Valid</dt>
        <dd>
          {cert.validFrom.slice(0, 10)} to {cert.validTo.slice(0, 10)}
        </dd>
      </dl>
    </div>
  );
}

export function Findings({ report }: { report: CertificateReport }) {
  const passed = report.findings.filter((f) => f.status === 'pass').length;
  return (
    <section aria-labelledby="trust-findings">
      <h2 id="trust-findings">2. Findings</h2>
      <p>{report.ok ? 'The certificates look right for Qlik Sense.' : 'Some checks failed: fix them before the trust check can pass.'}</p>
      <div className="cards">
        <CertificateCard title="Client certificate" cert={report.client} />
        <CertificateCard title="Root certificate" cert={report.root} />
      </div>
      {/* All green: one line says so, the rows are a click away; anything else is shown open. */}
      <details className="collapsible" open={passed < report.findings.length}>
        <summary>
          {passed === report.findings.length
            ? `All ${passed} certificate checks passed`
            : `${report.findings.length - passed} of ${report.findings.length} certificate checks need attention`}
        </summary>
        <Table className="dense" caption="Certificate findings" hiddenCaption columns={['Status', 'Check', 'Detail', 'Fix']}>
          {report.findings.map((finding) => (
            <tr key={finding.id}>
              <td>
                <StatusLabel status={finding.status} />
              </td>
              <td>{finding.title}</td>
              <td>{finding.detail}</td>
              <td>{finding.fix ?? ''}</td>
            </tr>
          ))}
        </Table>
      </details>
    </section>
  );
}
