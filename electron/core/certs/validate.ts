// Checks a certificate set the way the Qlik Sense Proxy Service will, before any network call: the key
// fits the certificate, the root issued it, the root is a CA, dates and usages. Pure: the report carries
// names, fingerprints and dates only, never the key (it is what the renderer sees).
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { CertificateSet } from './import';
import type { CertificateReport, Finding } from '../../../shared/certificates';
import { spki } from './keys';
import { ekuOids, oneLineName, summarizeX509 } from './summary';

export type { CertificateReport, Finding, FindingStatus } from '../../../shared/certificates';

const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EKU = '2.5.29.37.0';

const REEXPORT =
  "Export the certificates again from this site's QMC (Certificates > Export, with 'Include secret key') and import that folder; client.pem, client_key.pem and root.pem must come from the same export.";

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

function keyMatches(set: CertificateSet, client: X509Certificate): Finding {
  const title = 'The private key belongs to the client certificate';
  try {
    if (spki(createPrivateKey(set.keyPem)).equals(spki(client.publicKey)))
      return { id: 'key-matches', status: 'pass', title, detail: 'The public key in the certificate is the one of the private key.' };
    return {
      id: 'key-matches',
      status: 'fail',
      title,
      detail: `The private key is not the key of ${oneLineName(client.subject)}: it belongs to another certificate (another machine's export, or an export from before the certificates were re-created).`,
      fix: `Use client_key.pem from the same QMC export as client.pem. ${REEXPORT}`,
    };
  } catch {
    return { id: 'key-matches', status: 'fail', title, detail: 'The private key cannot be read to compare it with the certificate.', fix: REEXPORT };
  }
}

function issuedByRoot(client: X509Certificate, root: X509Certificate): Finding {
  const title = 'The site CA (root.pem) issued the client certificate';
  const clientName = oneLineName(client.subject);
  const rootName = oneLineName(root.subject);
  const sameName = oneLineName(client.issuer) === rootName;
  if (!client.checkIssued(root) && !sameName) {
    return {
      id: 'issued-by-root',
      status: 'fail',
      title,
      detail: `${clientName} was issued by ${oneLineName(client.issuer)}, not by ${rootName}.`,
      fix: `Use root.pem from the same QMC export as client.pem; a certificate of another site or a test install is refused by the proxy. ${REEXPORT}`,
    };
  }
  let verified = false;
  try {
    verified = client.checkIssued(root) && client.verify(root.publicKey);
  } catch {
    verified = false;
  }
  if (!verified) {
    return {
      id: 'issued-by-root',
      status: 'fail',
      title,
      detail: `${clientName} names ${rootName} as its issuer, but was signed with another key of that name: the site's certificates were re-created since one of the two files was exported.`,
      fix: REEXPORT,
    };
  }
  return { id: 'issued-by-root', status: 'pass', title, detail: `${clientName} is signed by ${rootName}.` };
}

function rootIsCa(root: X509Certificate): Finding {
  const title = 'root.pem is a certificate authority';
  const name = oneLineName(root.subject);
  if (root.ca) {
    const selfSigned = root.checkIssued(root) ? 'a self-signed CA' : `a CA issued by ${oneLineName(root.issuer)}`;
    return { id: 'root-is-ca', status: 'pass', title, detail: `${name} is ${selfSigned}.` };
  }
  return {
    id: 'root-is-ca',
    status: 'fail',
    title,
    detail: `${name} is not a CA certificate (no basicConstraints CA:TRUE): it cannot vouch for the server or the client certificate.`,
    fix: `Choose root.pem (the site CA, usually CN=<central node>-CA), not client.pem or server.pem. ${REEXPORT}`,
  };
}

function clientValidity(client: X509Certificate, now: Date): Finding[] {
  const from = new Date(client.validFrom);
  const to = new Date(client.validTo);
  const title = 'The client certificate is within its validity dates';
  if (now.getTime() > to.getTime()) {
    return [
      {
        id: 'validity',
        status: 'fail',
        title,
        detail: `The client certificate expired on ${day(to)} (${daysBetween(to, now)} days ago); the proxy refuses it.`,
        fix: "Renew the site's certificates (a Qlik Sense upgrade or restarting the Repository Service with new certificates re-creates them), then export them again from the QMC (Certificates > Export) and import the new folder.",
      },
    ];
  }
  if (now.getTime() < from.getTime()) {
    return [
      {
        id: 'validity',
        status: 'fail',
        title,
        detail: `The client certificate is not valid before ${from.toISOString()}; either it was just created on a machine whose clock runs ahead, or this machine's clock is behind.`,
        fix: 'Check the date and time of this machine and of the Qlik Sense central node (both should sync with a time server), then try again.',
      },
    ];
  }
  const left = daysBetween(now, to);
  const validity: Finding = { id: 'validity', status: 'pass', title, detail: `Valid from ${day(from)} to ${day(to)}.` };
  const soonTitle = `The client certificate is valid for more than ${EXPIRY_WARNING_DAYS} days`;
  const soon: Finding =
    to.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * DAY_MS
      ? {
          id: 'expiring-soon',
          status: 'warn',
          title: soonTitle,
          detail: `The client certificate expires on ${day(to)}, in ${left} day${left === 1 ? '' : 's'}; ticket requests fail from then on.`,
          fix: "Plan the renewal now: renew the site's certificates in Qlik Sense, export them again from the QMC (Certificates > Export) and import the new folder here.",
        }
      : { id: 'expiring-soon', status: 'pass', title: soonTitle, detail: `It expires on ${day(to)}, in ${left} days.` };
  return [validity, soon];
}

function clientAuthEku(client: X509Certificate): Finding {
  const title = 'The client certificate may be used for TLS client authentication';
  const oids = ekuOids(client);
  if (oids === undefined) {
    return { id: 'client-auth-eku', status: 'pass', title, detail: 'The certificate has no extended key usage, so it may be used for any purpose.' };
  }
  if (oids.includes(CLIENT_AUTH) || oids.includes(ANY_EKU)) {
    return { id: 'client-auth-eku', status: 'pass', title, detail: 'Its extended key usage includes clientAuth (TLS Web Client Authentication).' };
  }
  return {
    id: 'client-auth-eku',
    status: 'fail',
    title,
    detail: `Its extended key usage (${oids.join(', ')}) does not include clientAuth: the proxy refuses it as a client certificate. It may be a server certificate.`,
    fix: `Use client.pem (CN=QlikClient) from the QMC export, not server.pem or a certificate made for another purpose. ${REEXPORT}`,
  };
}

function rootValidity(root: X509Certificate, now: Date): Finding {
  const from = new Date(root.validFrom);
  const to = new Date(root.validTo);
  const title = 'The site CA is within its validity dates';
  const renew =
    "Renew the site's certificates in Qlik Sense (the CA expires with them), then export them again from the QMC (Certificates > Export) and import the new folder.";
  if (now.getTime() > to.getTime()) {
    return { id: 'root-validity', status: 'fail', title, detail: `The site CA expired on ${day(to)}; nothing it issued is trusted any more.`, fix: renew };
  }
  if (now.getTime() < from.getTime()) {
    return {
      id: 'root-validity',
      status: 'fail',
      title,
      detail: `The site CA is not valid before ${from.toISOString()}.`,
      fix: 'Check the date and time of this machine and of the Qlik Sense central node.',
    };
  }
  if (to.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * DAY_MS) {
    const left = daysBetween(now, to);
    return { id: 'root-validity', status: 'warn', title, detail: `The site CA expires on ${day(to)}, in ${left} day${left === 1 ? '' : 's'}.`, fix: renew };
  }
  return { id: 'root-validity', status: 'pass', title, detail: `Valid from ${day(from)} to ${day(to)}.` };
}

/**
 * Checks a loaded certificate set. `expiring-soon` is left out when `validity` already fails.
 * Throws only if `set.certPem` or `set.caPem` is not a certificate (loadCertificateSet never yields such a set).
 */
export function validateCertificateSet(set: CertificateSet, now: Date = new Date()): CertificateReport {
  const client = new X509Certificate(set.certPem);
  const root = new X509Certificate(set.caPem);
  const findings: Finding[] = [
    keyMatches(set, client),
    issuedByRoot(client, root),
    rootIsCa(root),
    ...clientValidity(client, now),
    clientAuthEku(client),
    rootValidity(root, now),
  ];
  return {
    ok: findings.every((f) => f.status !== 'fail'),
    client: summarizeX509(client),
    root: summarizeX509(root),
    findings,
  };
}
