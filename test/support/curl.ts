// curl as a client other than Usher (an authentication module, a mashup's server, a person at a shell)
// would call a simulated site: real TLS, the site's CA file, no Usher code on the way.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The response's status line and headers for a GET of `url` sending `header`, trusting only `caFile`. */
export async function curlResponseHead(url: string, options: { caFile: string; header: string }): Promise<string> {
  const { stdout } = await run('curl', ['-sS', '--max-time', '10', '--cacert', options.caFile, '-o', '/dev/null', '-D', '-', '-H', options.header, url]);
  return stdout;
}

/** The client certificate, its key and the site CA, as files (the `usher simulate --out` export). */
export interface MutualTlsFiles {
  cert: string;
  key: string;
  ca: string;
}

/**
 * POSTs `body` as JSON to a QPS `url` (carrying `?xrfkey=`) with the client certificate and the same
 * key in X-Qlik-Xrfkey, as an authentication module does: the HTTP status and the response body.
 */
export async function curlQpsPost(url: string, body: unknown, files: MutualTlsFiles, xrfkey: string): Promise<{ status: string; body: string }> {
  const args = ['-sS', '--max-time', '10', '-o', '-', '-w', '\n%{http_code}', '--cert', files.cert, '--key', files.key, '--cacert', files.ca];
  args.push('-H', `X-Qlik-Xrfkey: ${xrfkey}`, '-H', 'Content-Type: application/json', '-d', JSON.stringify(body), url);
  const { stdout } = await run('curl', args);
  const end = stdout.lastIndexOf('\n');
  return { status: stdout.slice(end + 1), body: stdout.slice(0, end) };
}
