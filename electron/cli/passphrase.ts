// Passphrases come from an environment variable or a prompt, never from a flag (flags end up in shell
// history and in `ps` output).
import { terminalText } from '../../shared/terminal-text';
import { UsageError } from './errors';

export const PFX_PASSPHRASE_ENV = 'USHER_PFX_PASSPHRASE';
export const KEY_PASSPHRASE_ENV = 'USHER_KEY_PASSPHRASE';

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    // The question names a file the user typed: escaped as every other line the CLI prints.
    process.stderr.write(terminalText(question));
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (result: string | Error): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(value);
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The passphrase from `envName`, else (when `prompt` and on a terminal) a hidden prompt, else undefined. */
export async function passphraseIfGiven(envName: string, what: string, options: { prompt: boolean }): Promise<string | undefined> {
  const fromEnv = process.env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (options.prompt && process.stdin.isTTY) return (await promptHidden(`Passphrase for ${what}: `)) || undefined;
  return undefined;
}

/** The passphrase from `envName`, else a hidden prompt on a terminal, else a clear error. */
export async function obtainPassphrase(envName: string, what: string): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (process.stdin.isTTY) return promptHidden(`Passphrase for ${what}: `);
  throw new UsageError(`${what} needs a passphrase`, `set ${envName} in the environment, or run usher in a terminal to be asked`);
}
