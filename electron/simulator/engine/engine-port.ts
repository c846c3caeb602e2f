// The engine's own port (4747 on a real node): mutual TLS with a certificate the site CA signed, and the
// user named in `X-Qlik-User`. No proxy: no session cookie, no ticket, no five-session limit - what
// Qlik's certificate examples use.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { requestUrl, sendText } from '../http-util';
import { parseQlikUserHeader } from '../qrs';
import type { NodeContext } from '../node-context';
import { createUpgradeServer, engineAppId, refuseUpgrade, type UpgradeHandler } from './upgrade-util';

const QLIK_USER_HELP = 'The engine port needs the header X-Qlik-User: UserDirectory=DIRECTORY; UserId=user (values URL-encoded).';

export function createEnginePort(ctx: NodeContext): { request: (req: IncomingMessage, res: ServerResponse) => void; upgrade: UpgradeHandler; close(): void } {
  const server = createUpgradeServer();
  return {
    request: (_req, res) => sendText(res, 404, 'Not Found: the engine answers WebSockets on /app/{appId} and /app/engineData.'),
    upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      const appId = engineAppId(requestUrl(req).pathname);
      if (appId === undefined) return refuseUpgrade(socket, 404, 'Not Found');
      const raw = req.headers['x-qlik-user'];
      const user = parseQlikUserHeader(typeof raw === 'string' ? raw : undefined);
      if (!user)
        return refuseUpgrade(
          socket,
          401,
          raw === undefined ? `The X-Qlik-User header is missing. ${QLIK_USER_HELP}` : `The X-Qlik-User header cannot be read. ${QLIK_USER_HELP}`,
        );
      server.accept(req, socket, head, [], (ws) => ctx.engine.connect(ws, { engineNodeId: ctx.node.id, user, appId }));
    },
    close: () => server.close(),
  };
}
