// What the console says about where certificates are kept, in words a person can act on: never the
// keychain library's own error (a D-Bus message), which stays in the detail for whoever needs it.
import type { VaultModeView } from './ipc/contract';

/** How to get certificates that survive a restart when there is no keychain. */
export const KEEP_THEM_HINT =
  'To keep them, start Usher with a keychain running (on Linux a Secret Service: gnome-keyring, KWallet or KeePassXC), or with USHER_VAULT_PASSPHRASE set to seal them with a passphrase.';

/** The status bar's line about the vault; undefined when there is nothing to warn about. */
export function vaultStatusLine(vault: VaultModeView): string | undefined {
  if (vault.kind === 'keychain') return undefined;
  return 'No keychain: certificates are kept in memory and lost when Usher closes';
}

/** Said next to the save button before saving, when the certificates would not survive a restart. */
export function memoryOnlyWarning(vault: VaultModeView): string | undefined {
  if (vault.kind === 'keychain') return undefined;
  return `There is no usable keychain, so this site's certificates can only be kept in memory: after Usher closes, the site stays in the list without its certificates and must be imported again. ${KEEP_THEM_HINT}`;
}

/** The line after saving: the truth about where the certificates went. */
export function savedLine(name: string, storage: 'keychain' | 'memory' | undefined, vault?: VaultModeView): string {
  if (storage === 'memory') {
    return `Saved “${name}” for this session only: its certificates are in memory and are lost when Usher closes. It is now the active site.`;
  }
  const where = vault?.kind === 'keychain' ? ` Its certificates are encrypted, with the key in the ${vault.keychain}.` : '';
  return `Saved “${name}”.${where} It is now the active site.`;
}
