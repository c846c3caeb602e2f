// The site's engines: engine sessions and their sockets, the files their exports wrote, and the link to
// proxy sessions (when a proxy session ends by logout, timeout or the QPS API, its sockets are told why
// and closed, as the proxy does). One room per simulated site; each session lives on one engine node.
import type { WebSocket } from 'ws';
import type { SiteDescription } from '../site';
import type { Session, SessionEndReason, SiteState, UserRef } from '../state';
import { EngineSession } from './engine-session';
import { EngineSocket, type SessionEndMessage, type SignedIn } from './engine-socket';
import { ExportStore } from './export-store';

const END_MESSAGE: Record<SessionEndReason, SessionEndMessage> = {
  logout: 'OnSessionLoggedOut',
  timeout: 'OnSessionTimedOut',
  closed: 'OnSessionClosed',
};

export interface EngineConnection {
  /** The engine node that serves the socket. */
  engineNodeId: string;
  user: UserRef;
  /** The app named in the socket's URL (`engineData` when none). */
  appId: string;
  /** Through the proxy: the proxy session the socket belongs to (its user is fixed from now on). */
  proxySession?: Session;
  /** Through the proxy: what OnAuthenticationInformation tells the client. */
  authentication?: SignedIn;
  onActivity?: () => void;
}

interface LiveSession {
  session: EngineSession;
  sockets: Set<EngineSocket>;
}

function proxySessionKey(session: Session): string {
  return `${session.nodeId}/${session.sessionId}`;
}

export class EngineRoom {
  readonly exports = new ExportStore();
  private readonly sessions = new Map<string, LiveSession>();
  private readonly byProxySession = new Map<string, Set<EngineSocket>>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly site: SiteDescription,
    state: SiteState,
  ) {
    this.unsubscribe = state.onSessionEnded((session, reason) => this.proxySessionEnded(session, reason));
  }

  /** Binds an accepted WebSocket to its engine session (created, or attached to when it exists). */
  connect(ws: WebSocket, connection: EngineConnection): EngineSocket {
    const who = connection.proxySession
      ? `proxy:${proxySessionKey(connection.proxySession)}`
      : `direct:${connection.user.userDirectory.toLowerCase()}\\${connection.user.userId.toLowerCase()}`;
    const key = `${connection.engineNodeId}|${who}|${connection.appId}`;
    let live = this.sessions.get(key);
    const state = live ? 'SESSION_ATTACHED' : 'SESSION_CREATED';
    if (!live) {
      live = { session: new EngineSession(key, connection.engineNodeId, connection.user), sockets: new Set() };
      this.sessions.set(key, live);
    }
    const current = live;
    const proxyKey = connection.proxySession ? proxySessionKey(connection.proxySession) : undefined;
    const socket: EngineSocket = new EngineSocket(ws, {
      ctx: { session: current.session, site: this.site, exports: this.exports },
      state,
      authentication: connection.authentication,
      onActivity: connection.onActivity,
      peers: () => current.sockets,
      onClose: () => {
        current.sockets.delete(socket);
        // No socket left: the engine session goes (the simulated engine keeps no session alive unattached).
        if (current.sockets.size === 0) this.sessions.delete(key);
        if (proxyKey) {
          const set = this.byProxySession.get(proxyKey);
          set?.delete(socket);
          if (set?.size === 0) this.byProxySession.delete(proxyKey);
        }
      },
    });
    current.sockets.add(socket);
    if (proxyKey) {
      let set = this.byProxySession.get(proxyKey);
      if (!set) this.byProxySession.set(proxyKey, (set = new Set()));
      set.add(socket);
    }
    return socket;
  }

  private proxySessionEnded(session: Session, reason: SessionEndReason): void {
    const sockets = this.byProxySession.get(proxySessionKey(session));
    if (!sockets) return;
    for (const socket of [...sockets]) socket.endSession(END_MESSAGE[reason]);
  }

  /** How many engine sessions and sockets are open (the benchmark and tests read it). */
  stats(): { sessions: number; sockets: number } {
    let sockets = 0;
    for (const live of this.sessions.values()) sockets += live.sockets.size;
    return { sessions: this.sessions.size, sockets };
  }

  stop(): void {
    this.unsubscribe();
    for (const live of this.sessions.values()) for (const socket of live.sockets) socket.close();
    this.sessions.clear();
    this.byProxySession.clear();
  }
}
