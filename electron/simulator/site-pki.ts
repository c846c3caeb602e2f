// The built-in site's certificates: made in memory when a site starts, and exported the way the QMC
// exports them.
import { QMC_EXPORT_FILES } from '../../shared/qmc-export';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CertificateAuthority, toPfx, type KeyAndCert } from './pki';

export interface SitePki {
  ca: CertificateAuthority;
  client: KeyAndCert;
  /** The client certificate, its key and the CA as a PKCS#12 file under `pfxPassphrase`. */
  readonly pfx: Buffer;
  pfxPassphrase: string;
  /**
   * The server certificate a node presents, naming its host name and (when given) its address, as a
   * Qlik node's certificate names the machine; issued on first request.
   */
  serverFor(hostName: string, address?: string): KeyAndCert;
}

export { QMC_EXPORT_FILES } from '../../shared/qmc-export';

function writeSecretFile(path: string, data: string | Buffer): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * Makes a site PKI in memory: a CA, the CN=QlikClient client certificate, its PFX and passphrase, and
 * server certificates on demand. Nothing is written: the only key material that reaches a disk is the
 * export a user asks for (`writeQmcExport`), as with a real QMC.
 */
export function createSitePki(caCommonName = 'usher-demo-CA'): SitePki {
  const ca = CertificateAuthority.create({ commonName: caCommonName });
  return sitePkiOf(ca, ca.issueClient({ commonName: 'QlikClient' }));
}

/**
 * The site PKI around a CA and its client certificate. The PFX is made when first asked for (only an
 * export needs it; forge's PKCS#12 derivation costs a tenth of a second). `serverKeyPem` is the key every
 * node's server certificate carries; made on the first one when not given.
 */
export function sitePkiOf(ca: CertificateAuthority, client: KeyAndCert, serverKeyPem?: string): SitePki {
  const pfxPassphrase = randomBytes(12).toString('base64url');
  let pfx: Buffer | undefined;
  const servers = new Map<string, KeyAndCert>();
  // One key pair for every node's server certificate: an RSA key costs about half a second to make, so a
  // 64-node site would start in half a minute; clients tell nodes apart by the names a certificate holds.
  let serverKey = serverKeyPem;
  return {
    ca,
    client,
    get pfx(): Buffer {
      pfx ??= toPfx(client, ca.certPem, pfxPassphrase);
      return pfx;
    },
    pfxPassphrase,
    serverFor(hostName: string, address?: string): KeyAndCert {
      const altNames = address === undefined || address === hostName ? [hostName] : [hostName, address];
      const key = altNames.join(' ');
      let pair = servers.get(key);
      if (!pair) {
        pair = ca.issueServer({ commonName: hostName, altNames, keyPem: serverKey });
        serverKey ??= pair.keyPem;
        servers.set(key, pair);
      }
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
