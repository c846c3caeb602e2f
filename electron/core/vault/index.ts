// The certificate vault: one data key per installation in the OS keychain, AES-256-GCM bundle files
// under <app data>/vault/, and an in-memory mode (never a plaintext fallback) when no keychain is usable.
export { Vault, type VaultMode, type VaultOpenOptions } from './vault';
export {
  OsKeychain,
  MemoryKeychain,
  type Keychain,
  type KeyringEntryLike,
  type OsKeychainOptions,
} from './keychain';
export { VaultError, type VaultErrorCode } from './errors';
