// A folder that keeps a simulated site's certificates between runs (USHER_SITE_CERTS): the site CA with
// its key, the client certificate, the key every node's server certificate carries and the demo site's
// JWT signing pair. A profile imported from one run's export, or a client pointed at its root.pem, stays
// trusted on the next run; and a run makes no RSA key (four of them, a second or more of CPU).
// The folder is made on first use, 0700 with every file 0600, and only where someone asked for it: by
// default a site's CA lives in memory for one run. A folder holding anything else is refused, never
// overwritten.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsherError } from '../../shared/errors';
import { generateSigningPair, type JwtSigningPair } from '../core/jwt/signing-pair';
import { errorCode } from '../core/fs/error-code';
import { CertificateAuthority } from './pki';
import { DEMO_JWT_COMMON_NAME } from './demo-site';
import { sitePkiOf, type SitePki } from './site-pki';

/** What the folder holds; the client files and root.pem carry the QMC export's names. */
export const KEPT_SITE_FILES = {
  ca: 'root.pem',
  caKey: 'root_key.pem',
  cert: 'client.pem',
  key: 'client_key.pem',
  serverKey: 'server_key.pem',
  jwtCert: 'jwt.pem',
  jwtKey: 'jwt_key.pem',
} as const;

const KEY_FILES = [KEPT_SITE_FILES.caKey, KEPT_SITE_FILES.key, KEPT_SITE_FILES.serverKey, KEPT_SITE_FILES.jwtKey];

export interface KeptSiteCertificates {
  pki: SitePki;
  /** The demo site's own JWT signing pair (its certificate on /jwt unless the profile holds one). */
  jwt: JwtSigningPair;
}

/** The folder cannot serve as a kept certificate folder: bad input (exit 2), never overwritten. */
export class SiteCertificatesError extends UsherError<'SITE_CERTIFICATES'> {
  override name = 'SiteCertificatesError';
  override readonly badInput = true;
  constructor(message: string, hint: string, options?: { cause?: unknown }) {
    super('SITE_CERTIFICATES', message, hint, options);
  }
}

const NEW_SET_HINT = 'empty the folder (or name a new one) and Usher makes a new set there';

/** The certificates kept in `dir`, made there first (a CA named `caCommonName`) when it does not exist or is empty. */
export function openKeptSiteCertificates(dir: string, caCommonName = 'usher-demo-CA'): KeptSiteCertificates {
  const entries = listFolder(dir);
  if (entries === undefined || entries.length === 0) makeInto(dir, caCommonName);
  return load(dir);
}

/** The folder's entries; undefined when it does not exist. */
function listFolder(dir: string): string[] | undefined {
  try {
    if (!statSync(dir).isDirectory()) throw new SiteCertificatesError(`${dir} is a file, not a folder of site certificates`, 'name a folder');
    return readdirSync(dir);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    if (err instanceof SiteCertificatesError) throw err;
    throw new SiteCertificatesError(`cannot read the site certificate folder ${dir}: ${(err as Error).message}`, 'check its permissions', { cause: err });
  }
}

/**
 * Makes a new set in a private folder beside `dir` and renames it into place, so that a reader never
 * sees half a set and two processes making one at once end up sharing the one that landed first.
 */
function makeInto(dir: string, caCommonName: string): void {
  const ca = CertificateAuthority.create({ commonName: caCommonName });
  const client = ca.issueClient({ commonName: 'QlikClient' });
  // Only its key is kept: each run issues the nodes' certificates for the names and addresses they take.
  const server = ca.issueServer({ commonName: 'localhost', altNames: ['localhost'] });
  const jwt = generateSigningPair({ commonName: DEMO_JWT_COMMON_NAME });
  const files: Record<string, string> = {
    [KEPT_SITE_FILES.ca]: ca.certPem,
    [KEPT_SITE_FILES.caKey]: ca.keyPem,
    [KEPT_SITE_FILES.cert]: client.certPem,
    [KEPT_SITE_FILES.key]: client.keyPem,
    [KEPT_SITE_FILES.serverKey]: server.keyPem,
    [KEPT_SITE_FILES.jwtCert]: jwt.certificatePem,
    [KEPT_SITE_FILES.jwtKey]: jwt.keyPem,
  };
  let staging: string | undefined;
  try {
    mkdirSync(dirname(dir), { recursive: true });
    staging = mkdtempSync(join(dirname(dir), `.${basename(dir)}-`)); // mode 0700
    for (const [name, text] of Object.entries(files)) writeFileSync(join(staging, name), text, { mode: 0o600 });
    renameSync(staging, dir); // replaces an empty folder; fails on one another process filled meanwhile
    staging = undefined;
  } catch (err) {
    if (!lostTheRace(err, dir)) {
      throw new SiteCertificatesError(`cannot make the site certificate folder ${dir}: ${(err as Error).message}`, 'name a folder you may write to', {
        cause: err,
      });
    }
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Whether the rename failed because another process's set landed first: POSIX says ENOTEMPTY or EEXIST,
 * Windows EPERM. EPERM is also a real refusal (on POSIX always), so the code alone does not tell: the
 * folder must now hold something, else the error is the person's to fix, not "empty the folder".
 */
function lostTheRace(err: unknown, dir: string): boolean {
  if (!['ENOTEMPTY', 'EEXIST', 'EPERM'].includes(errorCode(err) ?? '')) return false;
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

function readKept(dir: string, name: string): string {
  const path = join(dir, name);
  try {
    if (KEY_FILES.includes(name as (typeof KEY_FILES)[number]) && process.platform !== 'win32') {
      const mode = statSync(path).mode & 0o777;
      if (mode & 0o077) throw new SiteCertificatesError(`${path} can be read by other users (mode ${mode.toString(8)})`, `chmod 600 ${path}`);
    }
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof SiteCertificatesError) throw err;
    if (errorCode(err) === 'ENOENT') {
      throw new SiteCertificatesError(`${dir} holds other files, not the site certificates Usher keeps (no ${name})`, NEW_SET_HINT);
    }
    throw new SiteCertificatesError(`cannot read ${path}: ${(err as Error).message}`, 'check its permissions', { cause: err });
  }
}

/** Reads and checks the set: each certificate matches its key, the client's is the CA's, none expired. */
function load(dir: string): KeptSiteCertificates {
  const text = Object.fromEntries(Object.entries(KEPT_SITE_FILES).map(([role, name]) => [role, readKept(dir, name)])) as Record<
    keyof typeof KEPT_SITE_FILES,
    string
  >;
  const bad = (what: string, cause?: unknown): never => {
    throw new SiteCertificatesError(`the site certificates in ${dir} are not a set Usher can use: ${what}`, NEW_SET_HINT, { cause });
  };
  try {
    const ca = new X509Certificate(text.ca);
    const client = new X509Certificate(text.cert);
    const jwt = new X509Certificate(text.jwtCert);
    createPrivateKey(text.serverKey);
    if (!ca.ca) bad(`${KEPT_SITE_FILES.ca} is not a CA certificate`);
    if (!ca.checkPrivateKey(createPrivateKey(text.caKey))) bad(`${KEPT_SITE_FILES.caKey} is not the key of ${KEPT_SITE_FILES.ca}`);
    if (!client.checkIssued(ca) || !client.verify(ca.publicKey)) bad(`${KEPT_SITE_FILES.cert} was not issued by ${KEPT_SITE_FILES.ca}`);
    if (!client.checkPrivateKey(createPrivateKey(text.key))) bad(`${KEPT_SITE_FILES.key} is not the key of ${KEPT_SITE_FILES.cert}`);
    if (!jwt.checkPrivateKey(createPrivateKey(text.jwtKey))) bad(`${KEPT_SITE_FILES.jwtKey} is not the key of ${KEPT_SITE_FILES.jwtCert}`);
    for (const [name, cert] of [
      [KEPT_SITE_FILES.ca, ca],
      [KEPT_SITE_FILES.cert, client],
      [KEPT_SITE_FILES.jwtCert, jwt],
    ] as const) {
      if (Date.parse(cert.validTo) < Date.now()) bad(`${name} expired on ${cert.validTo}`);
    }
  } catch (err) {
    if (err instanceof SiteCertificatesError) throw err;
    bad((err as Error).message, err);
  }
  const ca = CertificateAuthority.fromPem(text.ca, text.caKey);
  return {
    pki: sitePkiOf(ca, { certPem: text.cert, keyPem: text.key }, text.serverKey),
    jwt: { certificatePem: text.jwtCert, keyPem: text.jwtKey, algorithm: 'RS256' },
  };
}
