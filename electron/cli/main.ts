// The `usher` command: dispatches to a subcommand and turns every expected failure into one line with
// a hint (exit 2 for bad input, 1 for something that ran and failed), never a stack trace.
// Only small modules with no dependency are imported here: what a command needs is loaded when it runs
// (commands/index.ts), so `usher --version` and `usher help` start as fast as Node itself.
import { BrowserRequestError } from '../core/browser/errors';
import { CertImportError } from '../core/certs/errors';
import { ProfileError } from '../core/profiles/errors';
import { QlikError } from '../core/qlik/errors';
import { VaultError } from '../core/vault/errors';
import { SiteFileError } from '../simulator/site';
import { COMMANDS } from './commands';
import { CommandFailed, UsageError } from './errors';
import { printNote } from './output';
import { TERMINAL_LINE_MAX, terminalValue } from '../../shared/terminal-text';

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usher - a console for Qlik Sense ticketing setups',
    '',
    'usage: usher <command> [flags]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'usher help <command> shows the flags of one command.',
  ].join('\n');
}

function reportFailure(err: unknown): number {
  const line = (message: string, hint?: string): void => {
    // One line each, whatever the message quotes (a site's answer, a value typed): escaped and cut.
    printNote(`usher: ${terminalValue(message, TERMINAL_LINE_MAX)}`);
    if (hint) printNote(`  hint: ${terminalValue(hint, TERMINAL_LINE_MAX)}`);
  };
  if (err instanceof UsageError) {
    line(err.message, err.hint);
    return 2;
  }
  if (err instanceof SiteFileError) {
    line(err.message, 'fix the site file; README.md describes its fields');
    return 2;
  }
  // Certificates are only ever imported from files the user named (--key, --pfx, --from): whatever is
  // wrong with them (not PEM, a cut file, a wrong passphrase) is bad input, as a missing file is.
  if (err instanceof CertImportError) {
    line(err.message, err.hint);
    return 2;
  }
  if (err instanceof QlikError || err instanceof BrowserRequestError || err instanceof VaultError || err instanceof ProfileError) {
    line(err.message, err.hint);
    return 1;
  }
  if (err instanceof CommandFailed) {
    line(err.message, err.hint);
    return 1;
  }
  line(`unexpected error: ${err instanceof Error ? err.message : String(err)}`, 'rerun with USHER_DEBUG=1 for details, and report it');
  if (process.env.USHER_DEBUG) console.error(err);
  return 1;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    process.stdout.write(overview() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${(require('../../package.json') as { version: string }).version}\n`);
    return 0;
  }
  const wanted = name === 'help' ? rest[0] : name;
  const entry = COMMANDS.find((c) => c.name === wanted);
  if (!entry) return reportFailure(new UsageError(`unknown command "${wanted}"`, `commands: ${COMMANDS.map((c) => c.name).join(', ')}`));
  try {
    const command = await entry.load();
    if (name === 'help' || rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(command.usage.trim() + '\n');
      return 0;
    }
    await command.run(rest);
    return 0;
  } catch (err) {
    return reportFailure(err);
  }
}
