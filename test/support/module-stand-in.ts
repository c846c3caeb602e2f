// A stand-in for the demo site's authentication module, for tests that follow the proxy's 302 there:
// it answers 200 with the site CA's certificate for localhost and records each address it was asked.
// It listens on a free port, never on the demo module's own address (DEMO_AUTH_MODULE_URI): files of
// every project run at the same time and share one site CA, and the checks of the demo site beside it
// need nothing to answer there (README: the demo site's module-unreachable mistake).
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { DEMO_AUTH_MODULE_URI } from '../../electron/simulator/demo-site';
import type { SitePki } from '../../electron/simulator/site-pki';

export interface ModuleStandIn {
  /** The module's login address, for the demo site's ticket virtual proxies (demoSite's authModuleUri). */
  uri: string;
  /** Every address the module was asked, in order. */
  asked: string[];
  close(): Promise<void>;
}

export async function startModuleStandIn(pki: SitePki): Promise<ModuleStandIn> {
  const key = pki.serverFor('localhost');
  const asked: string[] = [];
  let uri = DEMO_AUTH_MODULE_URI;
  const server: Server = createServer({ key: key.keyPem, cert: key.certPem }, (req, res) => {
    asked.push(new URL(req.url ?? '/', uri).href);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Module</title><p>Authentication module (test stand-in)</p>');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  uri = `https://localhost:${(server.address() as AddressInfo).port}${new URL(DEMO_AUTH_MODULE_URI).pathname}`;
  return { uri, asked, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
