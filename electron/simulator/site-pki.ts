// The built-in site's certificates: made on first use, kept in a state folder so a second run (or the
// desktop app's demo profile) trusts the same CA, and exported the way the QMC exports them.
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CertificateAuthority, toPfx, type KeyAndCert } from './pki';

export interface SitePki {
  ca: CertificateAuthority;
  client: KeyAndCert;
  pfx: Buffer;
  pfxPassphrase: string;
  /** The server certificate a node presents; issued on first request for that host name. */
  serverFor(hostName: string): KeyAndCert;
}

/** File names of a QMC certificate export (Windows format adds client.pfx). */
export const QMC_EXPORT_FILES = { cert: 'client.pem', key: 'client_key.pem', ca: 'root.pem', pfx: 'client.pfx' } as const;

function writeSecretFile(path: string, data: string | Buffer): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, path);
}

function safeHostFileName(hostName: string): string {
  return hostName.replace(/[^a-zA-Z0-9.-]/g, '_');
}

/**
 * Loads the site PKI from `stateDir`, creating whatever is missing. Without a `stateDir` everything
 * lives in memory for this process (tests).
 */
export function loadOrCreateSitePki(stateDir: string | undefined, caCommonName = 'usher-demo-CA'): SitePki {
  const read = (name: string): string | undefined => {
    if (!stateDir) return undefined;
    const path = join(stateDir, name);
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  };
  const write = (name: string, data: string): void => {
    if (!stateDir) return;
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    writeSecretFile(join(stateDir, name), data);
  };

  let caCert = read('ca.pem');
  let caKey = read('ca_key.pem');
  let ca: CertificateAuthority;
  let fresh = false;
  if (caCert && caKey) {
    ca = CertificateAuthority.load(caCert, caKey);
  } else {
    ca = CertificateAuthority.create({ commonName: caCommonName });
    write('ca.pem', ca.certPem);
    write('ca_key.pem', ca.keyPem);
    fresh = true;
  }

  let client: KeyAndCert;
  const clientCert = read('client.pem');
  const clientKey = read('client_key.pem');
  if (!fresh && clientCert && clientKey) {
    client = { certPem: clientCert, keyPem: clientKey };
  } else {
    client = ca.issueClient({ commonName: 'QlikClient' });
    write('client.pem', client.certPem);
    write('client_key.pem', client.keyPem);
  }

  let pfxPassphrase = read('pfx-passphrase.txt')?.trim();
  if (!pfxPassphrase) {
    pfxPassphrase = randomBytes(12).toString('base64url');
    write('pfx-passphrase.txt', pfxPassphrase);
  }
  const pfx = toPfx(client, ca.certPem, pfxPassphrase);

  const servers = new Map<string, KeyAndCert>();
  return {
    ca,
    client,
    pfx,
    pfxPassphrase,
    serverFor(hostName: string): KeyAndCert {
      const known = servers.get(hostName);
      if (known) return known;
      const base = `server-${safeHostFileName(hostName)}`;
      const cert = fresh ? undefined : read(`${base}.pem`);
      const key = fresh ? undefined : read(`${base}_key.pem`);
      let pair: KeyAndCert;
      if (cert && key) {
        pair = { certPem: cert, keyPem: key };
      } else {
        pair = ca.issueServer({ commonName: hostName, altNames: [hostName] });
        write(`${base}.pem`, pair.certPem);
        write(`${base}_key.pem`, pair.keyPem);
      }
      servers.set(hostName, pair);
      return pair;
    },
  };
}

/** Writes client.pem, client_key.pem, root.pem and client.pfx into `dir`, as the QMC exports them. */
export function writeQmcExport(pki: SitePki, dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeSecretFile(join(dir, QMC_EXPORT_FILES.cert), pki.client.certPem);
  writeSecretFile(join(dir, QMC_EXPORT_FILES.key), pki.client.keyPem);
  writeSecretFile(join(dir, QMC_EXPORT_FILES.ca), pki.ca.certPem);
  writeSecretFile(join(dir, QMC_EXPORT_FILES.pfx), pki.pfx);
}
