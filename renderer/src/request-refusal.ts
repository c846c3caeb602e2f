// The main process refuses a request whose fields break the IPC schema with the schema's own words
// ("Invalid request for certs.inspect: input.path: must be at least 1 characters"). Forms check their
// fields first; when one slips through, this is the one place that turns the refusal into words a
// person reads: the field by its name, the problem in plain terms, never a channel or a schema path.
import type { IpcError } from '../../shared/ipc/contract';

const REFUSAL = /^Invalid request for [\w.]+: (.+?): (.+)$/s;

/** A field path's last name in words: `target.url` -> "URL", `userDirectory` -> "user directory". */
function fieldWords(path: string): string {
  const last = path
    .split('.')
    .pop()!
    .replace(/\[\d+\]$/, '');
  const words = last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return /^(url|qps|qrs|id)$/.test(words) ? words.toUpperCase() : words;
}

/** The schema's problem in plain terms. */
function problemWords(problem: string): string {
  const atLeast = /^must be at least (\d+) characters$/.exec(problem);
  if (atLeast) return atLeast[1] === '1' ? 'is empty' : `is too short (at least ${atLeast[1]} characters)`;
  const atMost = /^must be at most (\d+) characters$/.exec(problem);
  if (atMost) return `is too long (at most ${atMost[1]} characters)`;
  if (problem === 'has an unexpected form') return 'is not written the way this field takes it';
  if (problem === 'is missing') return 'is missing';
  return problem.replace(/^must be /, 'should be ');
}

/** An INVALID_REQUEST refusal in the form's words; every other error as it came. */
export function inFormWords(error: IpcError): IpcError {
  if (error.code !== 'INVALID_REQUEST') return error;
  const match = REFUSAL.exec(error.message);
  if (!match) return { ...error, hint: error.hint ?? 'Check the form and try again.' };
  const [, path, problem] = match;
  return {
    code: error.code,
    message: `The ${fieldWords(path!)} ${problemWords(problem!)}.`,
    hint: 'Correct that field and try again.',
  };
}
