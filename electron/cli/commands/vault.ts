// `usher vault status|rotate-key`: where the certificates are kept, and replacing the data key.
import { openAppContext } from '../app-context';
import * as v from 'valibot';
import { parseFlags, type Command } from '../command';
import { flagInput, switchFlag } from '../flag-schema';
import { CommandFailed, UsageError } from '../errors';
import { printJson, printLine } from '../output';

const USAGE = `
usage: usher vault status [--json]
       usher vault rotate-key

status      where the data key is kept (OS keychain, passphrase-sealed file, or memory only), how many
            bundles, and the key versions (two after an interrupted rotation)
rotate-key  makes a new data key, re-encrypts every stored certificate bundle with it, then retires the
            old key. Safe to interrupt: every bundle stays readable, and the next rotation finishes.

Without an OS keychain the vault can be sealed by a passphrase from USHER_VAULT_PASSPHRASE (or a prompt
on a terminal once the vault exists). The console and other usher commands may run meanwhile: writes
wait for each other (up to 30 s).
`;

export const vaultCommand: Command = {
  usage: USAGE,
  async run(argv) {
    const parsed = parseFlags(argv, { json: { type: 'boolean' } }, 'vault', true);
    const [action] = parsed.positionals;
    const { json } = flagInput(v.object({ json: switchFlag }), parsed.values, 'vault');
    // A mistyped action is said before the keychain is asked (and before its warning, when it has none).
    if (action !== 'status' && action !== 'rotate-key') {
      throw new UsageError(action ? `unknown vault action "${action}"` : 'usher vault needs an action', 'actions: status, rotate-key');
    }
    const app = await openAppContext();
    const vault = await app.vault();
    if (action === 'status') {
      const bundles = await vault.list();
      const keys = await vault.keyVersions();
      const status = { mode: vault.mode, bundles: bundles.length, dataDir: app.dataDir, ...(keys ? { keys } : {}) };
      if (json) return printJson(status);
      printLine(
        vault.mode.kind === 'keychain'
          ? `keychain: ${vault.mode.keychain}; ${bundles.length} encrypted certificate bundle(s) in ${app.dataDir}; data key version ${keys?.current ?? '?'}`
          : `no usable keychain (${vault.mode.reason}): certificates are kept in memory for one run only`,
      );
      if (keys && keys.versions.length > 1) {
        printLine(
          `the keychain still holds older key version(s) ${keys.versions.filter((v) => v !== keys.current).join(', ')}: a rotation was interrupted or a bundle could not be re-encrypted; run usher vault rotate-key`,
        );
      }
      return;
    }
    if (vault.mode.kind !== 'keychain') throw new CommandFailed('no usable keychain: there is no stored data key to rotate');
    const { rotated, failed, keyVersion, retired } = await vault.rotateKey();
    const retiredText = retired.length ? `; key version ${retired.join(', ')} retired` : '';
    printLine(`data key version ${keyVersion} in use; ${rotated} bundle(s) re-encrypted${retiredText}`);
    if (failed.length) {
      throw new CommandFailed(
        `${failed.length} bundle(s) could not be re-encrypted (${failed.join(', ')}); the keys they name were kept: re-import their certificates`,
      );
    }
  },
};
