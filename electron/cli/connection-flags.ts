// The connection flags shared by `ticket`, `sessions` and `proxies`: where QPS and QRS are, and the
// certificates to reach them (a PEM pair or a PFX, always with the site's root.pem pinned).
import { loadCertificateSet } from '../core/certs';
import { QMC_EXPORT_FILES } from '../../shared/qmc-export';
import type { ConnectionOptions } from '../core/qlik';
import { serviceBaseUrl, type QlikService } from '../core/qlik/base-url';
import * as v from 'valibot';
import { UsageError } from './errors';
import { readFlag, wholeNumberFlag } from './flag-schema';
import { KEY_PASSPHRASE_ENV, PFX_PASSPHRASE_ENV, obtainPassphrase } from './passphrase';
import { checkUserFile, readUserFile } from './user-file';

const EXPORT_HINT = 'point it at the file exported from the QMC (Certificates > Export)';

export const CONNECTION_FLAGS = {
  qps: { type: 'string' },
  qrs: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  ca: { type: 'string' },
  pfx: { type: 'string' },
  'timeout-ms': { type: 'string' },
} as const;

function readPem(flag: string, path: string, marker: RegExp, expected: string): string {
  const text = readUserFile(path, `--${flag} ${path}`, EXPORT_HINT).toString('utf8');
  if (!marker.test(text)) throw new UsageError(`--${flag} ${path} holds no ${expected}`, `the QMC export names it ${flagFileName(flag)}`);
  return text;
}

function flagFileName(flag: string): string {
  return (QMC_EXPORT_FILES as Record<string, string>)[flag] ?? flag;
}

/** `--qps`, `--qrs` or `--hub` as `https://host:port`, read by the core's one address rule. */
export function parseBaseUrl(flag: QlikService, value: string | undefined): string {
  return serviceBaseUrl(value, flag, `--${flag}`);
}

/** The longest per-request timeout: ten minutes (Node's timers cannot take Infinity or 1e309). */
export const TIMEOUT_MS_MAX = 600_000;

/** A service address flag, read as `https://host:port` (the service's own port when none is given). */
export function addressFlag(flag: QlikService) {
  return readFlag((text) => parseBaseUrl(flag, text));
}

/** `--timeout-ms`: a whole number of milliseconds from 1 to ten minutes. */
export const timeoutMsFlag = wholeNumberFlag('timeout-ms', 1, TIMEOUT_MS_MAX);

/** The connection flags read into their values: addresses as base URLs, the timeout as a number. */
export const CONNECTION_INPUT = {
  qps: addressFlag('qps'),
  qrs: addressFlag('qrs'),
  cert: v.optional(v.string()),
  key: v.optional(v.string()),
  ca: v.optional(v.string()),
  pfx: v.optional(v.string()),
  'timeout-ms': timeoutMsFlag,
};

export type ConnectionFlagValues = v.InferOutput<v.ObjectSchema<typeof CONNECTION_INPUT, undefined>>;

export async function connectionOptionsFromFlags(values: ConnectionFlagValues): Promise<ConnectionOptions> {
  if (!values.ca)
    throw new UsageError(
      '--ca is required: the site CA (root.pem) that signed the QPS/QRS certificates',
      'Usher never turns TLS checks off; pin the site root instead',
    );
  const ca = readPem('ca', values.ca, /-----BEGIN CERTIFICATE-----/, 'PEM certificate');
  const timeoutMs = values['timeout-ms'];
  if (values.pfx) {
    if (values.cert || values.key) throw new UsageError('give either --pfx or --cert with --key, not both');
    // A missing PFX is said as a missing --ca is, and before anyone types its passphrase.
    checkUserFile(values.pfx, `--pfx ${values.pfx}`, EXPORT_HINT);
    const passphrase = await obtainPassphrase(PFX_PASSPHRASE_ENV, `the PFX file ${values.pfx}`);
    // The certificate importer reads what Node's TLS refuses (legacy RC2/3DES PFX files from older QMCs),
    // with the same size limit and errors as `usher profile add --pfx`.
    const set = await loadCertificateSet({ kind: 'pfx', pfxPath: values.pfx, caPath: values.ca }, { passphrase });
    return { ca, client: { certPem: set.certPem, keyPem: set.keyPem }, timeoutMs };
  }
  if (!values.cert || !values.key) {
    throw new UsageError('a client certificate is required: --cert client.pem --key client_key.pem, or --pfx client.pfx');
  }
  const certPem = readPem('cert', values.cert, /-----BEGIN CERTIFICATE-----/, 'PEM certificate');
  const keyPem = readPem('key', values.key, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'PEM private key');
  const passphrase = /ENCRYPTED/.test(keyPem) ? await obtainPassphrase(KEY_PASSPHRASE_ENV, `the private key ${values.key}`) : undefined;
  return { ca, client: { certPem, keyPem, keyPassphrase: passphrase }, timeoutMs };
}
