// Which client certificate a partition presents when a site asks for one. Electron's default is the
// first certificate of the OS store, picked without asking anyone: a Qlik proxy (or anything the page
// loads) would silently learn who the user is. The rule here: none, unless the site's profile names one
// certificate by its SHA-256 fingerprint, and then only that exact certificate. Pure Node, so the rule is
// tested with real certificates.
import { X509Certificate } from 'node:crypto';

/** The part of Electron's Certificate this needs (PEM data). */
export interface OfferedCertificate {
  data: string;
}

/** `AB:CD:…` or 64 hex digits, either case, as one comparable form; undefined when it is neither. */
export function normaliseFingerprint256(text: string): string | undefined {
  const hex = text.replace(/:/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return undefined;
  if (text.includes(':') && !/^(?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/.test(text)) return undefined;
  return hex.match(/../g)!.join(':');
}

function fingerprintOf(cert: OfferedCertificate): string | undefined {
  try {
    return new X509Certificate(cert.data).fingerprint256;
  } catch {
    return undefined;
  }
}

/**
 * The offered certificate whose fingerprint is `allowed`, or undefined (present none). Never a guess: no
 * allowed fingerprint, an unreadable one, or no exact match all mean none.
 */
export function chooseClientCertificate<C extends OfferedCertificate>(offered: readonly C[], allowed: string | undefined): C | undefined {
  const wanted = allowed === undefined ? undefined : normaliseFingerprint256(allowed);
  if (!wanted) return undefined;
  return offered.find((cert) => fingerprintOf(cert) === wanted);
}
