// The certificate vault: versioned data keys in the OS keychain (or a passphrase-sealed file when there
// is none), AES-256-GCM bundle files under <app data>/vault/, one writer at a time across processes, and
// an in-memory mode (never a plaintext fallback) when neither is usable.
export { Vault, type RotateResult, type VaultMode, type VaultOpenOptions, type VaultPassphraseSource } from './vault';
export { PassphraseKeychain, SEALED_KEY_FILE, VAULT_PASSPHRASE_ENV } from './passphrase-keychain';
export { OsKeychain, MemoryKeychain, type Keychain, type KeyringEntryLike, type OsKeychainOptions } from './keychain';
export { VaultError, type VaultErrorCode } from './errors';
