// One error base, one rendering per face: any UsherError (whatever layer threw it) reaches the CLI as one
// line plus a hint with the exit code its kind asks for, and the console as an IpcError with the same
// code, message and hint. Errors of every layer are sampled, including ones the CLI once did not know.
import { describe, expect, it } from 'vitest';
import { BackendError } from '../../electron/app/backend-error';
import { failureReport, UsageError } from '../../electron/cli/errors';
import { BrowserRequestError } from '../../electron/core/browser/errors';
import { CertImportError } from '../../electron/core/certs/errors';
import { JwtError } from '../../electron/core/jwt/errors';
import { QlikError } from '../../electron/core/qlik/errors';
import { PartitionError } from '../../electron/hosts/partition-error';
import { typedError } from '../../electron/ipc/router';
import { SiteFileError } from '../../electron/simulator/site';
import { UsherError } from '../../shared/errors';
import { SchemaError } from '../../shared/schema';

describe('one error base, rendered alike by every face', () => {
  const cases: Array<[UsherError, 1 | 2]> = [
    [new QlikError('TIMEOUT', 'no answer from qlik:4243 within 100 ms', 'Check the QPS runs.'), 1],
    [new BrowserRequestError('UNTRUSTED_CERT', 'refused https://x', 'Use the site CA.'), 1],
    [new PartitionError('CLOSED', 'the partition is closed', 'Open it again.'), 1],
    [new JwtError('NO_SIGNING_PAIR', 'Usher holds no JWT signing pair for profile "lab"', 'Make one with usher jwt keygen.'), 1],
    [new JwtError('BAD_KEY', 'the key is not a private key', 'Give the PEM private key.'), 2],
    [new BackendError('NOT_FOUND', 'no ticket t1', 'Request a new one.'), 1],
    [new CertImportError('NOT_PEM', '/x/client.pem: is not a PEM file', 'Choose the PEM files.'), 2],
    [new SiteFileError('site.json: nodes[0].name: is missing'), 2],
    [new UsageError('--qps: not a URL', 'give https://host:4243'), 2],
    [new SchemaError('attributes[0].value', 'must be a string, got a number'), 2],
  ];

  it.each(cases)('%s', (err, exitCode) => {
    expect(err).toBeInstanceOf(UsherError);
    const cli = failureReport(err);
    const hint = err.hint === undefined ? [] : [`  hint: ${err.hint}`];
    expect(cli).toEqual({ lines: [`usher: ${err.message}`, ...hint], exitCode, unexpected: false });
    expect(typedError(err)).toEqual({ code: err.code, message: err.message, ...(err.hint === undefined ? {} : { hint: err.hint }) });
  });

  it('keeps the cause it wraps', () => {
    const cause = new Error('ECONNRESET');
    expect(new QlikError('CONNECTION_RESET', 'closed', 'try again', { cause }).cause).toBe(cause);
    expect(new UsageError('bad', undefined, { cause }).cause).toBe(cause);
  });

  it('renders anything else as unexpected, in the CLI and the console alike', () => {
    const err = Object.assign(new Error('ENOENT: /home/alice/key.pem'), { code: 'ENOENT_LIKE', hint: 'looks typed' });
    expect(failureReport(err)).toMatchObject({
      exitCode: 1,
      unexpected: true,
      lines: [expect.stringMatching(/^usher: unexpected error: /), expect.any(String)],
    });
    expect(typedError(err)).toBeNull();
    expect(failureReport(new UsherError('NO_HINT', 'just this')).lines).toEqual(['usher: just this']);
  });
});
