// Certificate verification of a chromium partition after each navigation: the second half of the pin
// that chromium-pinning.ts describes. Each window keeps a DevTools (CDP) session with the Network domain
// on, which records the certificates the page was served; the leaf Chromium received must be the one
// Node verified against the site CA. Also the two refusals of this check, worded for the console.
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { certFingerprint, type PinnedOrigin } from './chromium-pinning';
import { PartitionError } from './partition-error';

/** The certificates one page was served, as its DevTools session recorded them. */
export class ServedCertificates {
  private constructor(private readonly cdp: CDPSession) {}

  /** Attaches to `page` and starts recording (the Network domain must be on before the navigation). */
  static async attach(context: BrowserContext, page: Page): Promise<ServedCertificates> {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    return new ServedCertificates(cdp);
  }

  /** Whether the leaf the page was served for `pin.origin` is the very certificate Node verified. */
  async leafIsVerified(pin: PinnedOrigin): Promise<boolean> {
    const served = ((await this.cdp.send('Network.getCertificate', { origin: pin.origin })) as { tableNames: string[] }).tableNames[0];
    return served !== undefined && served !== '' && certFingerprint(Buffer.from(served, 'base64')) === pin.leafFingerprint;
  }
}

/**
 * A key first seen after the browser started. Its key list was fixed at launch; a jar cannot move to a
 * new browser without losing its cookies, so the key is refused rather than half-trusted.
 */
export function notPinned(pin: PinnedOrigin): PartitionError {
  return new PartitionError(
    'ORIGIN_NOT_PINNED',
    `The key of ${pin.origin} was not among those this partition's browser was started to accept.`,
    'Open a new partition for that node (each ticket is redeemed on one node anyway).',
  );
}

/** The browser was served another certificate for `origin` than the one verified against the site CA. */
export function certificateChanged(origin: string): PartitionError {
  return new PartitionError(
    'CERTIFICATE_CHANGED',
    `${origin} presented a different certificate to the browser than the one verified against the site CA.`,
    'Something between this machine and the node is answering for it, or the node just changed its certificate: open the ticket again and the node is verified afresh; if it fails again, run the trust check.',
  );
}
