// Loading the client certificate, its private key and the site CA from what a user points at: a QMC
// export folder, three PEM files, or a PFX. The result holds the decrypted key in memory (main process
// only); validate.ts turns it into a report without secrets for the renderer.
import { QMC_EXPORT_FILES } from '../../../shared/qmc-export';
import { X509Certificate, type KeyObject } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { errorCode } from '../fs/error-code';
import { CertImportError, EXPORT_AGAIN_HINT, fileNotFound, fileTooLarge, missingPart, noCertificatesInFolder, notAFile, notPem, unreadable } from './errors';
import { loadKey, spki, toPkcs8Pem } from './keys';
import { classifyPem, derCertificate, hasPemMarker, looksLikePfx, type CertItem, type KeyItem } from './pem';
import { readPfx } from './pkcs12';
import { ekuOids, SERVER_AUTH_EKU } from './summary';
import type { CertificateInput } from '../../../shared/certificates';

export type { CertificateInput } from '../../../shared/certificates';

/** The secret material, main process only. keyPem is always decrypted PKCS#8 PEM in memory. */
export interface CertificateSet {
  certPem: string;
  keyPem: string;
  caPem: string;
  source: { kind: CertificateInput['kind']; files: string[] };
}

export interface LoadOptions {
  passphrase?: string;
  /** Largest certificate file read; default 1 MiB. */
  maxFileBytes?: number;
}

const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
/** A folder with more entries than this is not an export folder: only the first ones are looked at. */
const MAX_FOLDER_ENTRIES = 500;
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

export async function loadCertificateSet(input: CertificateInput, options: LoadOptions = {}): Promise<CertificateSet> {
  const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  switch (input.kind) {
    case 'pem':
      return loadPemFiles(input, options.passphrase, max);
    case 'pfx':
      return loadPfxFile(input, options.passphrase, max);
    case 'folder':
      return loadFolder(input.path, options.passphrase, max);
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading files

/** Reads a file the user named: refuses anything but a regular file, and a large one before reading it. */
async function readLimitedFile(path: string, maxBytes: number): Promise<Buffer> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw notAFile(path);
    size = st.size;
  } catch (err) {
    if (err instanceof CertImportError) throw err;
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') throw fileNotFound(path, 'file', err);
    throw unreadable(path, err);
  }
  if (size > maxBytes) throw fileTooLarge(path, size, maxBytes);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') throw fileNotFound(path, 'file', err);
    throw unreadable(path, err);
  }
  try {
    // Read at most maxBytes + 1: a file that grew since stat is still refused without reading it whole.
    const buf = Buffer.alloc(Math.min(maxBytes + 1, size + 65_536));
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, total, buf.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total >= buf.length) break;
    }
    if (total > maxBytes) throw fileTooLarge(path, total, maxBytes);
    return buf.subarray(0, total);
  } catch (err) {
    if (err instanceof CertImportError) throw err;
    throw unreadable(path, err);
  } finally {
    await handle.close();
  }
}

/** What one file holds. */
interface Scanned {
  path: string;
  name: string;
  certs: CertItem[];
  keys: KeyItem[];
  pfx?: Buffer;
  others: string[];
}

/** Sorts a file's content; throws TRUNCATED_PEM for a damaged PEM, returns an empty scan for other files. */
function scanContent(path: string, buf: Buffer): Scanned {
  const scanned: Scanned = { path, name: basename(path), certs: [], keys: [], others: [] };
  const text = buf.toString('utf8');
  if (hasPemMarker(text)) {
    const pem = classifyPem(text, path);
    scanned.certs = pem.certs;
    scanned.keys = pem.keys;
    scanned.others = pem.others;
    return scanned;
  }
  if (looksLikePfx(buf)) {
    scanned.pfx = buf;
    return scanned;
  }
  const der = derCertificate(buf);
  if (der) scanned.certs.push({ x509: der, pem: der.toString(), file: path });
  return scanned;
}

// ---------------------------------------------------------------------------------------------------
// Choosing the leaf, its key and the CA

function issuedBy(leaf: X509Certificate, ca: X509Certificate): boolean {
  try {
    return leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
  } catch {
    return false;
  }
}

/** How much a certificate looks like the QMC's client certificate (CN=QlikClient, clientAuth, client.pem). */
function clientScore(item: CertItem): number {
  let score = 0;
  const name = basename(item.file).toLowerCase();
  if (name.includes('client')) score += 4;
  if (name.includes('server')) score -= 4;
  if (/(^|\n)CN=QlikClient(\n|$)/.test(item.x509.subject)) score += 2;
  const eku = ekuOids(item.x509);
  if (eku === undefined || eku.includes(CLIENT_AUTH)) score += 2;
  else if (eku.includes(SERVER_AUTH_EKU)) score -= 2;
  return score;
}

function keyFileScore(file: string): number {
  const name = basename(file).toLowerCase();
  if (name === 'client_key.pem') return 3;
  if (name.includes('client')) return 2;
  if (name.includes('server')) return -2;
  return 0;
}

/** The first leaf (non-CA) certificate of a file, or its first certificate. */
function firstLeaf(certs: CertItem[]): CertItem | undefined {
  return certs.find((c) => !c.x509.ca) ?? certs[0];
}

interface ChosenKey {
  key: KeyObject;
  file: string;
}

/**
 * The key for `leaf` among `keys` (ordered by preference): the one whose public key is the leaf's
 * (encrypted ones need the passphrase); without a match the preferred key, and the checks report the
 * mismatch.
 */
function chooseKey(keys: KeyItem[], leaf: X509Certificate | undefined, passphrase: string | undefined): ChosenKey {
  const leafSpki = leaf && spki(leaf.publicKey);
  const loaded: ChosenKey[] = [];
  let firstError: CertImportError | undefined;
  const locked: CertImportError[] = [];
  for (const item of keys) {
    try {
      const key = loadKey(item, passphrase);
      if (leafSpki && spki(key).equals(leafSpki)) return { key, file: item.file };
      loaded.push({ key, file: item.file });
    } catch (err) {
      if (!(err instanceof CertImportError)) throw err;
      if (err.code === 'PASSPHRASE_REQUIRED' || err.code === 'WRONG_PASSPHRASE') locked.push(err);
      else firstError ??= err;
    }
  }
  // No key fits. An encrypted key that could not be opened may be the one, so ask for its passphrase.
  // A damaged key may be the one too: say so rather than pick a key that does not fit.
  if (locked[0]) throw locked[0];
  if (firstError) throw firstError;
  // Otherwise the preferred key (client_key.pem first); the checks report that it does not fit.
  const chosen = loaded[0];
  if (chosen) return chosen;
  throw new Error('chooseKey called without keys');
}

/** The CA for `leaf`: one that issued it, else a CA certificate, else the first certificate. */
function chooseCa(certs: CertItem[], leaf: X509Certificate | undefined): CertItem | undefined {
  const others = certs.filter((c) => !leaf || !c.x509.raw.equals(leaf.raw));
  if (leaf) {
    const issuer = others.find((c) => issuedBy(leaf, c.x509));
    if (issuer) return issuer;
  }
  return others.find((c) => c.x509.ca) ?? others[0];
}

function uniq(files: string[]): string[] {
  return [...new Set(files)];
}

// ---------------------------------------------------------------------------------------------------
// PEM files

async function loadPemFiles(
  input: { certPath: string; keyPath: string; caPath: string },
  passphrase: string | undefined,
  max: number,
): Promise<CertificateSet> {
  const cache = new Map<string, Scanned>();
  const scan = async (path: string): Promise<Scanned> => {
    let hit = cache.get(path);
    if (!hit) {
      const buf = await readLimitedFile(path, max);
      hit = scanContent(path, buf);
      if (hit.pfx) throw notPem(path, 'pfx');
      if (!hit.certs.length && !hit.keys.length && !hasPemMarker(buf.toString('utf8'))) throw notPem(path);
      cache.set(path, hit);
    }
    return hit;
  };

  const certFile = await scan(input.certPath);
  const leaf = firstLeaf(certFile.certs);
  if (!leaf) {
    throw missingPart(
      input.certPath,
      `${input.certPath}: holds no certificate${certFile.keys.length ? ' (it holds a private key)' : ''}`,
      'Choose client.pem from the QMC export as the certificate.',
    );
  }
  const keyFile = await scan(input.keyPath);
  if (!keyFile.keys.length) {
    throw missingPart(
      input.keyPath,
      `${input.keyPath}: holds no private key${keyFile.certs.length ? ' (it holds a certificate)' : ''}`,
      "Choose client_key.pem as the key; if the export has none, export the certificates again from the QMC (Certificates > Export) with 'Include secret key'.",
    );
  }
  const key = chooseKey(keyFile.keys, leaf.x509, passphrase);
  const caFile = await scan(input.caPath);
  const ca = chooseCa(caFile.certs, leaf.x509) ?? caFile.certs[0];
  if (!ca) {
    throw missingPart(input.caPath, `${input.caPath}: holds no root certificate`, 'Choose root.pem (the site CA) from the same QMC export.');
  }
  return {
    certPem: leaf.pem,
    keyPem: toPkcs8Pem(key.key),
    caPem: ca.pem,
    source: { kind: 'pem', files: uniq([input.certPath, input.keyPath, input.caPath]) },
  };
}

// ---------------------------------------------------------------------------------------------------
// PFX

function fromPfx(path: string, der: Buffer, passphrase: string | undefined, ca: CertItem | undefined): { certPem: string; keyPem: string; caPem: string } {
  const { keys, certs } = readPfx(der, path, passphrase);
  if (keys.length === 0) {
    throw missingPart(
      path,
      `${path}: the PFX holds no private key`,
      "Export the certificates again from the QMC (Certificates > Export) with 'Include secret key'.",
    );
  }
  let leaf: X509Certificate | undefined;
  let key: KeyObject | undefined;
  for (const k of keys) {
    const pub = spki(k);
    const match = certs.find((c) => spki(c.publicKey).equals(pub));
    if (match) {
      leaf = match;
      key = k;
      break;
    }
  }
  leaf ??= certs.find((c) => !c.ca) ?? certs[0];
  key ??= keys[0]!;
  if (!leaf)
    throw missingPart(
      path,
      `${path}: the PFX holds a key but no certificate`,
      "Export the certificates again from the QMC (Certificates > Export) with 'Include secret key'.",
    );
  const caPem =
    ca?.pem ??
    chooseCa(
      certs.map((x509) => ({ x509, pem: x509.toString(), file: path })),
      leaf,
    )?.pem;
  if (!caPem) {
    throw missingPart(
      path,
      `${path}: the PFX holds no root certificate (site CA) in its chain`,
      'Give root.pem from the same QMC export together with the PFX.',
    );
  }
  return { certPem: leaf.toString(), keyPem: toPkcs8Pem(key), caPem };
}

async function loadPfxFile(input: { pfxPath: string; caPath?: string }, passphrase: string | undefined, max: number): Promise<CertificateSet> {
  const der = await readLimitedFile(input.pfxPath, max);
  let ca: CertItem | undefined;
  if (input.caPath !== undefined) {
    const buf = await readLimitedFile(input.caPath, max);
    const scanned = scanContent(input.caPath, buf);
    if (scanned.pfx) throw notPem(input.caPath, 'pfx');
    ca = chooseCa(scanned.certs, undefined);
    if (!ca) {
      if (!hasPemMarker(buf.toString('utf8'))) throw notPem(input.caPath);
      throw missingPart(input.caPath, `${input.caPath}: holds no root certificate`, 'Choose root.pem (the site CA) from the same QMC export.');
    }
  }
  const set = fromPfx(input.pfxPath, der, passphrase, ca);
  return { ...set, source: { kind: 'pfx', files: input.caPath !== undefined ? [input.pfxPath, input.caPath] : [input.pfxPath] } };
}

// ---------------------------------------------------------------------------------------------------
// Folders

const NAMED = QMC_EXPORT_FILES;

/** The folder's entries, sorted by name; a typed error when it is not a readable folder. */
async function folderEntries(folder: string): Promise<Dirent[]> {
  let entries: Dirent[];
  try {
    const st = await stat(folder);
    if (!st.isDirectory()) {
      throw new CertImportError(
        'FILE_NOT_FOUND',
        `${folder}: not a folder`,
        'Choose the folder the QMC export wrote, or import the files one by one (PEM or PFX).',
        { file: folder },
      );
    }
    entries = await readdir(folder, { withFileTypes: true });
  } catch (err) {
    if (err instanceof CertImportError) throw err;
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') throw fileNotFound(folder, 'folder', err);
    throw unreadable(folder, err);
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** What a folder's regular files hold, what was looked at or skipped, and the files that failed to read. */
interface FolderScan {
  seen: string[];
  skipped: string[];
  scanned: Scanned[];
  /** By lower-case file name. */
  errors: Map<string, CertImportError>;
}

async function scanFolder(folder: string, entries: Dirent[], max: number): Promise<FolderScan> {
  const scan: FolderScan = { seen: [], skipped: [], scanned: [], errors: new Map() };
  for (const entry of entries.slice(0, MAX_FOLDER_ENTRIES)) {
    // Only regular files: no subfolders, links, sockets or devices.
    if (!entry.isFile()) {
      scan.seen.push(entry.isDirectory() ? `${entry.name}/` : `${entry.name} (not a regular file)`);
      continue;
    }
    const path = join(folder, entry.name);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      continue;
    }
    if (size > max) {
      scan.skipped.push(entry.name);
      continue;
    }
    scan.seen.push(entry.name);
    try {
      scan.scanned.push(scanContent(path, await readLimitedFile(path, max)));
    } catch (err) {
      if (!(err instanceof CertImportError)) throw err;
      scan.errors.set(entry.name.toLowerCase(), err);
    }
  }
  if (entries.length > MAX_FOLDER_ENTRIES) scan.seen.push(`(${entries.length - MAX_FOLDER_ENTRIES} more entries not looked at)`);
  return scan;
}

/** The leaf: client.pem's, else the certificate that looks most like a client certificate (and has a key). */
function folderLeaf(namedCert: Scanned | undefined, allCerts: CertItem[], allKeys: KeyItem[]): CertItem | undefined {
  const named = namedCert ? firstLeaf(namedCert.certs) : undefined;
  if (named) return named;
  const plainKeys: Buffer[] = [];
  for (const item of allKeys.filter((k) => !k.encrypted)) {
    try {
      plainKeys.push(spki(loadKey(item, undefined)));
    } catch {
      /* judged again when the key is chosen */
    }
  }
  const hasKey = (c: CertItem): boolean => {
    const pub = spki(c.x509.publicKey);
    return plainKeys.some((k) => k.equals(pub));
  };
  const leaves = allCerts.filter((c) => !c.x509.ca);
  return leaves.map((c, index) => ({ c, index, score: clientScore(c) + (hasKey(c) ? 3 : 0) })).sort((a, b) => b.score - a.score || a.index - b.index)[0]?.c;
}

/** The CA: root.pem's, else the certificate that issued the leaf, else any CA certificate. */
function folderCa(namedCa: Scanned | undefined, allCerts: CertItem[], leaf: CertItem | undefined): CertItem | undefined {
  let ca: CertItem | undefined;
  if (namedCa && namedCa.certs.length) ca = chooseCa(namedCa.certs, leaf?.x509) ?? namedCa.certs[0];
  ca ??= chooseCa(
    allCerts.filter((c) => c !== leaf),
    leaf?.x509,
  );
  if (ca && !ca.x509.ca && !(leaf && issuedBy(leaf.x509, ca.x509)) && ca !== namedCa?.certs[0]) ca = undefined;
  return ca;
}

/** The folder has parts of a set but not all: say which it has and which it lacks. */
function incompleteFolder(folder: string, leaf: CertItem | undefined, ca: CertItem | undefined, keys: KeyItem[]): CertImportError {
  const found: string[] = [];
  if (leaf) found.push(`the client certificate ${basename(leaf.file)}`);
  if (ca) found.push(`the site CA ${basename(ca.file)}`);
  if (keys[0]) found.push(`a private key ${basename(keys[0].file)}`);
  const missing: string[] = [];
  if (!leaf) missing.push('no client certificate (client.pem)');
  if (!keys.length) missing.push('no private key (client_key.pem)');
  if (!ca) missing.push('no site CA (root.pem)');
  const has = found.length ? `has ${found.join(' and ')} but ` : '';
  return missingPart(
    folder,
    `${folder}: ${has}${missing.join(', ')}`,
    !keys.length
      ? EXPORT_AGAIN_HINT
      : 'Copy client.pem, client_key.pem and root.pem of one QMC export (Certificates > Export) into one folder, or import the files one by one.',
  );
}

async function loadFolder(folder: string, passphrase: string | undefined, max: number): Promise<CertificateSet> {
  const entries = await folderEntries(folder);
  const { seen, skipped, scanned, errors } = await scanFolder(folder, entries, max);

  // A damaged file with a QMC export name is the answer, whatever else lies in the folder.
  for (const name of [NAMED.cert, NAMED.key, NAMED.ca]) {
    const err = errors.get(name);
    if (err) throw err;
  }
  const named = (name: string): Scanned | undefined => scanned.find((s) => s.name.toLowerCase() === name);
  const namedKey = named(NAMED.key);
  const namedCa = named(NAMED.ca);
  const allCerts = scanned.flatMap((s) => s.certs);
  const allKeys = scanned.flatMap((s) => s.keys);
  const leaf = folderLeaf(named(NAMED.cert), allCerts, allKeys);
  const ca = folderCa(namedCa, allCerts, leaf);

  // The key: client_key.pem's first, then by file name.
  const keys = [...(namedKey?.keys ?? []), ...allKeys.filter((k) => !namedKey || k.file !== namedKey.path)].sort(
    (a, b) => keyFileScore(b.file) - keyFileScore(a.file),
  );

  if (leaf && ca && keys.length) {
    const key = chooseKey(keys, leaf.x509, passphrase);
    return {
      certPem: leaf.pem,
      keyPem: toPkcs8Pem(key.key),
      caPem: ca.pem,
      source: { kind: 'folder', files: uniq([leaf.file, key.file, ca.file]) },
    };
  }

  // No complete PEM trio: a PFX (client.pfx first), with root.pem's CA when the folder has one.
  const pfxFiles = scanned.filter((s) => s.pfx).sort((a, b) => Number(b.name.toLowerCase() === NAMED.pfx) - Number(a.name.toLowerCase() === NAMED.pfx));
  const pfx = pfxFiles[0];
  if (pfx?.pfx) {
    const set = fromPfx(pfx.path, pfx.pfx, passphrase, ca);
    return { ...set, source: { kind: 'folder', files: ca ? uniq([pfx.path, ca.file]) : [pfx.path] } };
  }

  const firstError = errors.values().next().value;
  if (firstError) throw firstError;
  if (!allCerts.length && !allKeys.length) throw noCertificatesInFolder(folder, seen, skipped);
  throw incompleteFolder(folder, leaf, ca, keys);
}
