// The Electron BrowserHost: each partition id is one session (session.fromPartition), shared by the
// BrowserWindows opened with that id, with no preload, every permission denied, TLS pinned to the site
// CA, and downloads saved only inside the partition's downloads folder. The page may browse the Qlik site
// over https; it never reaches the console's IPC. Its rooms: electron-jars.ts (sessions, storage),
// electron-window.ts (windows and the page that drives one), electron-page.ts (navigation and in-page
// requests), electron-downloads.ts, electron-cert-verify.ts (the site-CA pinning).
import { clipboard, type Certificate, type WebContents } from 'electron';
import type { BrowserHost } from './browser-host';
import { chooseClientCertificate } from './client-certificate';
import { ElectronJars, type CertificateRejected } from './electron-jars';
import { openPartitionWindow, type WindowSettings } from './electron-window';

export interface ElectronHostOptions extends Partial<WindowSettings> {
  /** Told when a partition refuses a server certificate (for the log). */
  onCertificateRejected?: CertificateRejected;
}

export interface ElectronBrowserHost extends BrowserHost {
  /**
   * The certificate a WebContents may present to a site that asks for one: in a partition window whose
   * profile names one, that exact certificate if offered; anywhere else, none. For the app's single
   * 'select-client-certificate' handler (main/session-security.ts).
   */
  clientCertificateFor(contents: WebContents | null, offered: Certificate[]): Certificate | undefined;
}

export function createElectronHost(options: ElectronHostOptions = {}): ElectronBrowserHost {
  const jars = new ElectronJars(options.onCertificateRejected);
  const settings: WindowSettings = {
    devTools: options.devTools ?? false,
    timeoutMs: options.timeoutMs ?? 20_000,
    downloadTimeoutMs: options.downloadTimeoutMs ?? 60_000,
  };
  return {
    kind: 'electron',
    clientCertificateFor(contents, offered) {
      const jar = contents ? jars.ofContents(contents) : undefined;
      return jar ? chooseClientCertificate(offered, jar.options.clientCertificateFingerprint256) : undefined;
    },
    openPartition: async (partition) => openPartitionWindow(jars, jars.open(partition), settings),
    clearPartition: (partitionId) => jars.clear(partitionId),
    destroyPartition: (partitionId) => jars.destroy(partitionId),
    removeOrphanPartitions: (keep) => jars.removeOrphans(keep),
    async writeClipboard(text) {
      clipboard.writeText(text);
    },
    async close() {
      const pages = jars.all().flatMap((jar) => [...jar.windows]);
      await Promise.all(pages.map((page) => page.close().catch(() => undefined)));
    },
  };
}
