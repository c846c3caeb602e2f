// `usher vault status|rotate-key`: where the certificates are kept, and replacing the data key.
import { openAppContext } from '../app-context';
import { parseFlags, type Command } from '../command';
import { CommandFailed, UsageError } from '../errors';
import { printJson, printLine } from '../output';

const USAGE = `
usage: usher vault status [--json]
       usher vault rotate-key

status      whether certificates are kept encrypted with a key in the OS keychain, and how many bundles
rotate-key  makes a new data key and re-encrypts every stored certificate bundle with it
`;

export const vaultCommand: Command = {
  usage: USAGE,
  async run(argv) {
    const parsed = parseFlags(argv, { json: { type: 'boolean' } }, 'vault', true);
    const [action] = parsed.positionals;
    // A mistyped action is said before the keychain is asked (and before its warning, when it has none).
    if (action !== 'status' && action !== 'rotate-key') {
      throw new UsageError(action ? `unknown vault action "${action}"` : 'usher vault needs an action', 'actions: status, rotate-key');
    }
    const app = await openAppContext();
    const vault = await app.vault();
    if (action === 'status') {
      const bundles = await vault.list();
      const status = { mode: vault.mode, bundles: bundles.length, dataDir: app.dataDir };
      if (parsed.values.json) return printJson(status);
      printLine(
        vault.mode.kind === 'keychain'
          ? `keychain: ${vault.mode.keychain}; ${bundles.length} encrypted certificate bundle(s) in ${app.dataDir}`
          : `no usable keychain (${vault.mode.reason}): certificates are kept in memory for one run only`,
      );
      return;
    }
    if (vault.mode.kind !== 'keychain') throw new CommandFailed('no usable keychain: there is no stored data key to rotate');
    const { rotated, failed } = await vault.rotateKey();
    printLine(`new data key stored; ${rotated} bundle(s) re-encrypted`);
    if (failed.length) throw new CommandFailed(`${failed.length} bundle(s) could not be re-encrypted (${failed.join(', ')}): re-import their certificates`);
  },
};
