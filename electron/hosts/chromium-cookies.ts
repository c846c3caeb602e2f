// The bridge between a chromium partition's jar (a Playwright BrowserContext) and the host's cookie
// shapes (browser-host.ts): cookies read out as PartitionCookies, a PartitionCookieInput written in with
// the Set-Cookie meaning of its domain, and the jar emptied of cookies and of every verified origin's
// storage (DevTools Storage.clearDataForOrigin: Playwright has no call for it).
import type { BrowserContext, Page } from 'playwright-core';
import type { PartitionCookie, PartitionCookieInput } from './browser-host';

export async function readCookies(context: BrowserContext): Promise<PartitionCookie[]> {
  return (await context.cookies()).map((c) => ({
    name: c.name,
    value: c.value,
    domain: c.domain,
    path: c.path,
    secure: c.secure,
    httpOnly: c.httpOnly,
    sameSite: c.sameSite,
  }));
}

/** Writes `input` for `url` (the input's own URL, already checked to be https and pinned). */
export async function writeCookie(context: BrowserContext, input: PartitionCookieInput, url: URL): Promise<void> {
  const common = { name: input.name, value: input.value, secure: input.secure, httpOnly: input.httpOnly, sameSite: input.sameSite };
  // Chromium reads a domain without a leading dot as host-only and one with it as a Domain attribute:
  // no domain given means host-only (the url's host), a given one means the Set-Cookie Domain attribute.
  const domain = input.domain === undefined ? url.hostname : input.domain.startsWith('.') ? input.domain : `.${input.domain}`;
  await context.addCookies([{ ...common, domain, path: input.path }]);
}

/** Empties the jar's cookies, and with a page of it open, the storage of each of `origins`. */
export async function clearJar(context: BrowserContext, page: Page | undefined, origins: string[]): Promise<void> {
  await context.clearCookies();
  if (!page) return;
  const cdp = await context.newCDPSession(page);
  try {
    for (const origin of origins) await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
