// Where a ticket would go right now: the active site, its node and the virtual proxy in use.
import type { AppState } from '../../../shared/ipc/contract';
import type { Profile } from '../../../shared/profile';
import { vaultStatusLine } from '../../../shared/vault-words';
import { prefixLabel } from '../format';

interface Props {
  profile?: Profile;
  virtualProxy?: string;
  app?: AppState;
}

export function StatusBar({ profile, virtualProxy, app }: Props) {
  const node = profile?.nodes[0];
  const vaultLine = app ? vaultStatusLine(app.vault) : undefined;
  return (
    <footer className="status-bar" role="status" aria-label="Status">
      <span>
        Site: <strong>{profile?.name ?? 'none'}</strong>
      </span>
      <span>
        Node: <strong>{node ? `${node.name} (${node.hostName})` : '—'}</strong>
      </span>
      <span>
        Virtual proxy: <strong>{profile ? prefixLabel(virtualProxy ?? profile.defaultVirtualProxy) : '—'}</strong>
      </span>
      {/* In words; the keychain's own error (often a D-Bus message) is only the hover detail. */}
      {vaultLine ? (
        <span className="warn-text" title={app?.vault.kind === 'memory' ? app.vault.reason : undefined}>
          {vaultLine}
        </span>
      ) : null}
      {app ? <span className="muted">Host: {app.host}</span> : null}
    </footer>
  );
}
