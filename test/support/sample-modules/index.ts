// The sample authentication modules the validator tests grade: one correct, one per defect, all served
// with one HTTPS certificate from a CA of their own (made once per test file: RSA keys are slow).
import { CertificateAuthority } from '../../../electron/simulator/pki';

export { startSampleModule, type SampleDefect, type SampleModule, type SampleModuleOptions } from './sample-module';

let tls: { caPem: string; certPem: string; keyPem: string } | undefined;

/** The modules' HTTPS certificate (for 127.0.0.1 and localhost) and the CA a browser must trust for it. */
export function sampleModuleTls(): { caPem: string; certPem: string; keyPem: string } {
  if (!tls) {
    const ca = CertificateAuthority.create({ commonName: 'sample-module-CA' });
    const server = ca.issueServer({ commonName: 'localhost', altNames: ['localhost', '127.0.0.1'] });
    tls = { caPem: ca.certPem, ...server };
  }
  return tls;
}
