// The `usher` command: dispatches to a subcommand and turns every expected failure into one line with
// a hint (exit 2 for bad input, 1 for something that ran and failed), never a stack trace.
import { QlikError } from '../core/qlik';
import { BrowserRequestError } from '../core/browser';
import { CertImportError } from '../core/certs';
import { ProfileError } from '../core/profiles';
import { VaultError } from '../core/vault';
import { SiteFileError } from '../simulator/site';
import type { Command } from './command';
import { CommandFailed, UsageError } from './errors';
import { auditCommand } from './commands/audit';
import { checkCommand } from './commands/check';
import { demoCommand } from './commands/demo';
import { profileCommand } from './commands/profile';
import { vaultCommand } from './commands/vault';
import { proxiesCommand } from './commands/proxies';
import { scenarioCommand } from './commands/scenario';
import { sessionsCommand } from './commands/sessions';
import { simulateCommand } from './commands/simulate';
import { ticketCommand } from './commands/ticket';
import { validateModuleCommand } from './commands/validate-module';

const COMMANDS: Command[] = [demoCommand, simulateCommand, profileCommand, ticketCommand, sessionsCommand, proxiesCommand, checkCommand, scenarioCommand, validateModuleCommand, auditCommand, vaultCommand];

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
    process.stderr.write(`usher: ${message}\n`);
    if (hint) process.stderr.write(`  hint: ${hint}\n`);
  };
  if (err instanceof UsageError) {
    line(err.message, err.hint);
    return 2;
  }
  if (err instanceof SiteFileError) {
    line(err.message, 'fix the site file; README.md describes its fields');
    return 2;
  }
  if (err instanceof QlikError || err instanceof BrowserRequestError || err instanceof CertImportError || err instanceof VaultError || err instanceof ProfileError) {
    line(err.message, err.hint);
    return 1;
  }
  if (err instanceof CommandFailed) {
    line(err.message);
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
  const command = COMMANDS.find((c) => c.name === wanted);
  if (!command) return reportFailure(new UsageError(`unknown command "${wanted}"`, `commands: ${COMMANDS.map((c) => c.name).join(', ')}`));
  if (name === 'help' || rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage.trim() + '\n');
    return 0;
  }
  try {
    await command.run(rest);
    return 0;
  } catch (err) {
    return reportFailure(err);
  }
}
