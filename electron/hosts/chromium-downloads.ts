// Downloads of a chromium partition: started in the page (a click on a link with the `download`
// attribute, so the page stays where it is), bounded in time, and saved once each into the partition's
// downloads folder, whether the page's download event or the console's request sees it first.
import { stat } from 'node:fs/promises';
import type { Download, Page } from 'playwright-core';
import type { PartitionDownload } from './browser-host';
import { inPageError } from './chromium-page-fetch';
import { PartitionError } from './partition-error';
import { releaseDownloadPath, reserveDownloadPath } from './partition-storage';

/** The downloads of one jar: each saved once under a name of its own, and the record of every one. */
export class DownloadSaver {
  readonly records: PartitionDownload[] = [];
  private readonly saving = new WeakMap<Download, Promise<PartitionDownload>>();

  /** `dir`: the partition's downloads folder; without one every download is cancelled and recorded so. */
  constructor(private readonly dir: string | undefined) {}

  /** Saves a download into the downloads folder once, whoever asks first (the page's event or download()). */
  save(download: Download): Promise<PartitionDownload> {
    let saved = this.saving.get(download);
    if (!saved) {
      saved = this.saveNow(download);
      this.saving.set(download, saved);
    }
    return saved;
  }

  private async saveNow(download: Download): Promise<PartitionDownload> {
    const url = download.url();
    const dir = this.dir;
    let record: PartitionDownload;
    if (!dir) {
      await download.cancel().catch(() => undefined);
      record = { url, bytes: 0, error: 'downloads are off for this partition' };
    } else {
      let path: string | undefined;
      try {
        path = reserveDownloadPath(dir, download.suggestedFilename());
        await download.saveAs(path);
        record = { url, path, bytes: (await stat(path)).size };
      } catch (err) {
        if (path) releaseDownloadPath(path);
        const failure = await download.failure().catch(() => null);
        record = { url, bytes: 0, error: failure ?? (err instanceof Error ? err.message.split('\n')[0] : String(err)) };
      }
    }
    this.records.push(record);
    return record;
  }
}

/** Clicks a `download` link to `href` in the page: the page stays where it is whatever the answer. */
function clickDownloadLink(page: Page, href: string, timeoutMs: number): Promise<void> {
  return page
    .evaluate((link) => {
      // Typed by hand: this code runs in the page, and the main process compiles without the DOM types.
      interface Anchor {
        href: string;
        download: string;
        click(): void;
        remove(): void;
      }
      const doc = (
        globalThis as unknown as {
          document: { createElement(tag: 'a'): Anchor; body: { appendChild(a: Anchor): void } | null; documentElement: { appendChild(a: Anchor): void } };
        }
      ).document;
      const a = doc.createElement('a');
      a.href = link;
      a.download = '';
      (doc.body ?? doc.documentElement).appendChild(a);
      a.click();
      a.remove();
    }, href)
    .catch((err: unknown) => {
      throw inPageError(err, href, timeoutMs);
    });
}

/**
 * Downloads `href` from the page's origin: it must start within `timeoutMs` and be saved (by `saver`,
 * the jar's DownloadSaver) within `timeoutMs` more, or it is cancelled with DOWNLOAD_TIMEOUT.
 */
export async function downloadInPage(page: Page, href: string, timeoutMs: number, saver: Pick<DownloadSaver, 'save'>): Promise<PartitionDownload> {
  const started = page.waitForEvent('download', { timeout: timeoutMs });
  started.catch(() => undefined);
  await clickDownloadLink(page, href, timeoutMs);
  let download: Download;
  try {
    download = await started;
  } catch (err) {
    throw new PartitionError(
      'DOWNLOAD_TIMEOUT',
      `${href} started no download within ${Math.round(timeoutMs / 1000)} s.`,
      'Check that the address is an export or file on the site (a page opens, it does not download).',
      { cause: err },
    );
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void download.cancel().catch(() => undefined);
      reject(
        new PartitionError(
          'DOWNLOAD_TIMEOUT',
          `The download of ${href} did not finish within ${Math.round(timeoutMs / 1000)} s.`,
          'Check the network path to the node; a large export may need a longer timeout.',
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([saver.save(download), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
