// Does an authentication module answer at all? One GET, time-limited, certificate checked against the
// system's roots plus the site CA (modules often sit on the Qlik server with the site's certificate).
import { rootCertificates } from 'node:tls';
import { Agent, request } from 'undici';

export function createModuleProbe(options: { caPem?: string; timeoutMs?: number } = {}): { probe: (uri: string) => Promise<string | undefined>; close: () => Promise<void> } {
  const timeoutMs = options.timeoutMs ?? 5000;
  const agent = new Agent({
    connect: { ca: options.caPem ? [...rootCertificates, options.caPem] : undefined, timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  return {
    async probe(uri) {
      try {
        const response = await request(uri, { method: 'GET', dispatcher: agent, signal: AbortSignal.timeout(timeoutMs), maxRedirections: 0 } as Parameters<typeof request>[1]);
        await response.body.dump();
        return response.statusCode >= 500 ? `HTTP ${response.statusCode}` : undefined;
      } catch (err) {
        const code = (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
        return code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'host not found' : (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : code ?? (err as Error).message;
      }
    },
    close: () => agent.close(),
  };
}
