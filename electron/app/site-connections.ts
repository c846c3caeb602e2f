// One QlikConnection per profile, made on first use and kept (its pooled TLS connections make the next
// call fast). Every record of every connection goes to the console's request log.
import { QlikConnection, type RecordListener } from '../core/qlik';
import type { SiteMaterial } from '../core/operations/connect-profile';

export interface SiteHandle {
  connection: QlikConnection;
  /** The site CA: partitions pin it too. */
  caPem: string;
}

export class SiteConnections {
  private readonly handles = new Map<string, Promise<SiteHandle>>();

  constructor(private readonly onRecord: RecordListener) {}

  /** The profile's connection; `material` is asked for only the first time (it may read the vault). */
  get(profileId: string, material: () => Promise<SiteMaterial>): Promise<SiteHandle> {
    let handle = this.handles.get(profileId);
    if (!handle) {
      handle = material().then((m) => ({
        connection: new QlikConnection({
          ca: m.caPem,
          client: { certPem: m.certPem, keyPem: m.keyPem },
          // Each record says which site it was for: the request log's HTTP archive names it.
          onRecord: (record, replay) => this.onRecord({ ...record, site: profileId }, replay),
        }),
        caPem: m.caPem,
      }));
      // A failed start (no certificates, a bad key) is not cached: the next call tries again.
      const pending = handle;
      pending.catch(() => {
        if (this.handles.get(profileId) === pending) this.handles.delete(profileId);
      });
      this.handles.set(profileId, pending);
    }
    return handle;
  }

  /** Closes and forgets a profile's connection (it was removed, or its certificates changed). */
  async drop(profileId: string): Promise<void> {
    const handle = this.handles.get(profileId);
    this.handles.delete(profileId);
    await handle?.then((h) => h.connection.close()).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.handles.keys()].map((id) => this.drop(id)));
  }
}
