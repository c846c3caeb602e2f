// The certificate vault: one data key per installation in the OS keychain, AES-256-GCM bundle files
// under <app data>/vault/, and an in-memory mode (never a plaintext fallback) when no keychain is usable.
export { Vault, STALE_STAGING_MS, type VaultMode, type VaultOpenOptions } from './vault';
export {
  OsKeychain,
  MemoryKeychain,
  osKeychainName,
  DEFAULT_KEYCHAIN_TIMEOUT_MS,
  type Keychain,
  type KeyringEntryLike,
  type OsKeychainOptions,
} from './keychain';
export { VaultError, isVaultError, type VaultErrorCode } from './errors';
export { BUNDLE_ID_PATTERN, UNREADABLE_MESSAGE, UNREADABLE_HINT } from './bundle-file';
