// Reading PEM text into blocks, and sorting the blocks of a file into certificates (site CA or leaf) and
// private keys (encrypted or not). Nothing here decrypts; keys.ts does.
import { X509Certificate } from 'node:crypto';
import { truncatedPem } from './errors';

export interface PemBlock {
  label: string;
  /** RFC 1421 headers (Proc-Type, DEK-Info) of legacy encrypted keys; empty otherwise. */
  headers: Array<[string, string]>;
  der: Buffer;
}

export interface CertItem {
  x509: X509Certificate;
  pem: string;
  file: string;
}

export interface KeyItem {
  label: string;
  /** Normalised PEM of the block, headers kept (Node needs them to decrypt a legacy key). */
  pem: string;
  der: Buffer;
  encrypted: boolean;
  file: string;
}

export interface PemContents {
  certs: CertItem[];
  keys: KeyItem[];
  /** Labels of blocks that are neither (PUBLIC KEY, CERTIFICATE REQUEST, ...). */
  others: string[];
}

const BEGIN = /^-----BEGIN ([A-Z0-9][A-Z0-9 #._-]*)-----\s*$/;
const END = /^-----END ([A-Z0-9][A-Z0-9 #._-]*)-----\s*$/;
const HEADER = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function hasPemMarker(text: string): boolean {
  return text.includes('-----BEGIN ');
}

/** Every PEM block in `text`; text around the blocks (openssl's "Bag Attributes" lines) is ignored. */
function parsePemBlocks(text: string, file: string): PemBlock[] {
  const lines = text.split(/\r\n|\r|\n/);
  const blocks: PemBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const begin = BEGIN.exec((lines[i] ?? '').trim());
    i += 1;
    if (!begin) continue;
    const label = begin[1]!;
    const headers: Array<[string, string]> = [];
    const body: string[] = [];
    let ended = false;
    let inHeaders = true;
    while (i < lines.length) {
      const line = (lines[i] ?? '').trim();
      i += 1;
      const end = END.exec(line);
      if (end) {
        if (end[1] !== label) throw truncatedPem(file, label, 'no-end');
        ended = true;
        break;
      }
      if (BEGIN.test(line)) throw truncatedPem(file, label, 'no-end');
      if (inHeaders) {
        const header = HEADER.exec(line);
        if (header && !BASE64.test(line)) {
          headers.push([header[1]!, header[2]!.trim()]);
          continue;
        }
        if (line === '' && headers.length > 0) {
          inHeaders = false;
          continue;
        }
        inHeaders = false;
      }
      if (line !== '') body.push(line);
    }
    if (!ended) throw truncatedPem(file, label, 'no-end');
    const b64 = body.join('');
    if (b64.length === 0 || b64.length % 4 !== 0 || !BASE64.test(b64)) throw truncatedPem(file, label, 'bad-base64');
    blocks.push({ label, headers, der: Buffer.from(b64, 'base64') });
  }
  return blocks;
}

function toPem(label: string, der: Buffer, headers: Array<[string, string]> = []): string {
  const b64 = der.toString('base64');
  const lines: string[] = [`-----BEGIN ${label}-----`];
  if (headers.length) {
    for (const [k, v] of headers) lines.push(`${k}: ${v}`);
    lines.push('');
  }
  for (let at = 0; at < b64.length; at += 64) lines.push(b64.slice(at, at + 64));
  lines.push(`-----END ${label}-----`, '');
  return lines.join('\n');
}

const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);

/** Sorts the blocks of one file. A certificate block that does not parse is a damaged file. */
export function classifyPem(text: string, file: string): PemContents {
  const out: PemContents = { certs: [], keys: [], others: [] };
  for (const block of parsePemBlocks(text, file)) {
    if (CERT_LABELS.has(block.label)) {
      let x509: X509Certificate;
      try {
        x509 = new X509Certificate(block.der);
      } catch {
        if (block.label === 'TRUSTED CERTIFICATE') {
          out.others.push(block.label);
          continue;
        }
        throw truncatedPem(file, block.label, 'unparsable');
      }
      out.certs.push({ x509, pem: x509.toString(), file });
    } else if (KEY_LABELS.has(block.label)) {
      const procType = block.headers.find(([k]) => k.toLowerCase() === 'proc-type')?.[1] ?? '';
      const encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || /ENCRYPTED/i.test(procType);
      out.keys.push({ label: block.label, pem: toPem(block.label, block.der, block.headers), der: block.der, encrypted, file });
    } else {
      out.others.push(block.label);
    }
  }
  return out;
}

/** Reads a DER length at `at`; returns [length, offset after it] or undefined. */
function derLength(buf: Buffer, at: number): [number, number] | undefined {
  const first = buf[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return [first, at + 1];
  const n = first & 0x7f;
  if (n === 0) return [-1, at + 1]; // BER indefinite length
  if (n > 4) return undefined;
  let len = 0;
  for (let k = 1; k <= n; k += 1) {
    const b = buf[at + k];
    if (b === undefined) return undefined;
    len = len * 256 + b;
  }
  return [len, at + 1 + n];
}

/** A PKCS#12 PFX starts SEQUENCE { INTEGER 3, SEQUENCE { OID ... } }. */
export function looksLikePfx(buf: Buffer): boolean {
  if (buf[0] !== 0x30) return false;
  const outer = derLength(buf, 1);
  if (!outer) return false;
  const at = outer[1];
  return buf[at] === 0x02 && buf[at + 1] === 0x01 && buf[at + 2] === 0x03 && buf[at + 3] === 0x30;
}

/** A DER-encoded certificate (a Windows .cer), if `buf` is one. */
export function derCertificate(buf: Buffer): X509Certificate | undefined {
  if (buf[0] !== 0x30) return undefined;
  try {
    return new X509Certificate(buf);
  } catch {
    return undefined;
  }
}
