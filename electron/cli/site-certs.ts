// USHER_SITE_CERTS: the folder where the `usher` command keeps the certificates of the sites it runs
// (usher simulate, usher demo, --profile demo, usher validate-module), so that they are the same on
// every run. Unset: a fresh CA per run, in memory only.
import { resolve } from 'node:path';
import { openKeptSiteCertificates, type KeptSiteCertificates } from '../simulator/kept-site-certificates';
import type { SitePki } from '../simulator/site-pki';

export const SITE_CERTS_ENV = 'USHER_SITE_CERTS';

let kept: { dir: string; certificates: KeptSiteCertificates } | undefined;

/** The kept certificates when USHER_SITE_CERTS names a folder (made there on first use), else undefined. */
export function keptSiteCertificates(): KeptSiteCertificates | undefined {
  const named = process.env[SITE_CERTS_ENV];
  if (named === undefined || named.trim() === '') return undefined;
  const dir = resolve(named);
  if (kept?.dir !== dir) kept = { dir, certificates: openKeptSiteCertificates(dir) };
  return kept.certificates;
}

/** The `pki` option of a site start: the kept one, or none (the simulator makes a fresh one). */
export function keptSitePki(): { pki?: SitePki } {
  const certificates = keptSiteCertificates();
  return certificates ? { pki: certificates.pki } : {};
}
