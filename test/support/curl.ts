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
