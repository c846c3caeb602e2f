// The `usher` command: dispatches to a subcommand and turns every expected failure into one line with
// a hint (exit 2 for bad input, 1 for something that ran and failed), never a stack trace.
// Only small modules with no dependency are imported here: what a command needs is loaded when it runs
// (commands/index.ts), so `usher --version` and `usher help` start as fast as Node itself.
import { COMMANDS } from './commands';
import { failureReport, UsageError } from './errors';
import { printNote } from './output';

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
  const { lines, exitCode, unexpected } = failureReport(err);
  for (const line of lines) printNote(line);
  if (unexpected && process.env.USHER_DEBUG) console.error(err);
  return exitCode;
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
