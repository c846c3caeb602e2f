// Which file of the built renderer (dist/renderer) a request names, and its content type. One set of
// rules for both ways the console is served: Electron's app:// protocol (electron/main/protocol.ts) and
// the chromium host's loopback server (electron/hosts/console-server.ts). Node only, so both may use it.
import { realpathSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

export function bundleContentType(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The existing file below `root` that a URL's (still percent-encoded) pathname names, or undefined when
 * the path is malformed, hidden or would leave `root`. `/` is index.html. Refuses rather than normalises:
 * a legitimate bundle URL never has `..`, dot-files, backslashes or NULs, encoded or not. Symlinks are
 * resolved and must stay inside `root` too.
 */
export function resolveBundleFile(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded === '/' || decoded === '') decoded = '/index.html';
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((part) => part === '..' || part.startsWith('.'))) return undefined;
  try {
    const realRoot = realpathSync(root);
    const real = realpathSync(join(realRoot, decoded));
    if (!real.startsWith(realRoot + sep)) return undefined;
    return statSync(real).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}
