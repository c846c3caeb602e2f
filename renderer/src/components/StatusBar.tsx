// Where a ticket would go right now: the active site, its node and the virtual proxy in use. One line,
// not a live region: the person changed the site themselves, and a whole footer read out on each change
// is noise. Only the keychain line is announced (its own status region), since it can change unasked.
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
    <footer className="status-bar" aria-label="Status">
      <span>
        Site: <strong>{profile?.name ?? 'none'}</strong>
      </span>
      <span>
        Node: <strong>{node ? `${node.name} (${node.hostName})` : '—'}</strong>
      </span>
      <span>
        Virtual proxy: <strong>{profile ? prefixLabel(virtualProxy ?? profile.defaultVirtualProxy) : '—'}</strong>
      </span>
      {app ? <span className="muted">Host: {app.host}</span> : null}
      {/* In words; the keychain's own error (often a D-Bus message) is only the hover detail. */}
      <span role="status" className="warn-text" title={app?.vault.kind === 'memory' ? app.vault.reason : undefined}>
        {vaultLine}
      </span>
    </footer>
  );
}
