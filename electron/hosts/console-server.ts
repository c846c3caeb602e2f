// Serves the built renderer (dist/renderer) to the chromium host's console window. Electron loads the
// same files from the app bundle; a stock browser needs an origin, so this is the smallest one possible:
// 127.0.0.1 on a random port, GET/HEAD of existing files below the root, nothing else.
import { createReadStream, realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOOPBACK_CONSOLE_CSP } from '../bundle/csp';
import { bundleContentType, resolveBundleFile } from '../bundle/files';

const SECURITY_HEADERS = {
  'Content-Security-Policy': LOOPBACK_CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

export interface ConsoleServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  close(): Promise<void>;
}

/** The file a request path names, or undefined when it is outside the root, hidden, or malformed. */
export function resolveAsset(root: string, rawPath: string): string | undefined {
  let pathname: string;
  try {
    pathname = new URL(rawPath, 'http://x').pathname;
  } catch {
    return undefined;
  }
  return resolveBundleFile(root, pathname);
}

function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

export async function startConsoleServer(rendererDir: string): Promise<ConsoleServer> {
  const root = realpathSync(rendererDir);
  let expectedHost = '';

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    // A page on another site could point a DNS name at 127.0.0.1 (rebinding); only our own origin is served.
    if (req.headers.host !== expectedHost) return refuse(res, 421, 'wrong host');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    const file = resolveAsset(root, req.url ?? '/');
    if (!file) return refuse(res, 404, 'not found');
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': bundleContentType(file) });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  expectedHost = `127.0.0.1:${port}`;
  return {
    origin: `http://${expectedHost}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
