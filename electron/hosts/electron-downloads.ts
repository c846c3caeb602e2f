// Downloads of the Electron host's partitions: saved only inside the partition's downloads folder, each
// under a reserved name, and handed to the download() call that asked for that URL.
import type { DownloadItem, WebContents } from 'electron';
import type { PartitionDownload, PartitionOptions } from './browser-host';
import { timeoutRace } from './electron-page';
import { PartitionError } from './partition-error';
import { releaseDownloadPath, reserveDownloadPath } from './partition-storage';

/** A download() call waiting for the item of its URL to finish. */
export interface DownloadWaiter {
  url: string;
  item?: DownloadItem;
  resolve: (download: PartitionDownload) => void;
}

/** The part of a jar downloads live in. */
export interface DownloadJar {
  options: PartitionOptions;
  downloads: PartitionDownload[];
  waiters: DownloadWaiter[];
}

/** will-download must choose the path before it returns: a reserved file inside the downloads folder. */
export function saveDownload(jar: DownloadJar | undefined, event: Electron.Event, item: DownloadItem): void {
  const dir = jar?.options.downloadsDir;
  if (!jar || !dir) {
    event.preventDefault();
    return;
  }
  const url = item.getURLChain()[0] ?? item.getURL();
  const waiter = jar.waiters.find((w) => w.url === url && !w.item);
  if (waiter) waiter.item = item;
  const finish = (record: PartitionDownload): void => {
    jar.downloads.push(record);
    // A waiter that timed out has left the list already: its caller was told so.
    const index = waiter ? jar.waiters.indexOf(waiter) : -1;
    if (waiter && index >= 0) {
      jar.waiters.splice(index, 1);
      waiter.resolve(record);
    }
  };
  let path: string;
  try {
    path = reserveDownloadPath(dir, item.getFilename());
  } catch (err) {
    event.preventDefault();
    finish({ url, bytes: 0, error: err instanceof Error ? err.message : String(err) });
    return;
  }
  item.setSavePath(path);
  item.once('done', (_event, state) => {
    if (state === 'completed') return finish({ url, path, bytes: item.getReceivedBytes() });
    releaseDownloadPath(path);
    finish({ url, bytes: 0, error: `download ${state}` });
  });
}

/** Downloads `url` as a click on an export link would (the session's cookies go with it); saveDownload saves it. */
export function downloadInPage(jar: DownloadJar, wc: WebContents, url: string, timeoutMs: number): Promise<PartitionDownload> {
  const { partitionId, downloadsDir } = jar.options;
  if (!downloadsDir) {
    throw new PartitionError(
      'DOWNLOADS_OFF',
      `Partition ${partitionId} was opened without a downloads folder, so it refuses downloads.`,
      'Open the partition with a downloads folder (downloadsDir).',
    );
  }
  const waiter: DownloadWaiter = { url, resolve: () => undefined };
  const done = new Promise<PartitionDownload>((resolve) => {
    waiter.resolve = resolve;
  });
  jar.waiters.push(waiter);
  wc.downloadURL(url);
  return timeoutRace(
    done,
    timeoutMs,
    () => {
      const index = jar.waiters.indexOf(waiter);
      if (index >= 0) jar.waiters.splice(index, 1);
      waiter.item?.cancel();
    },
    () =>
      new PartitionError(
        'DOWNLOAD_TIMEOUT',
        `The download of ${url} did not finish within ${Math.round(timeoutMs / 1000)} s.`,
        'Check that the address is an export on the site and the node is reachable; a large export may need a longer timeout.',
      ),
  );
}
