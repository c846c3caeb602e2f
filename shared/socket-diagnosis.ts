// The engine WebSocket of a mashup, diagnosed: since November 2024 a Qlik proxy opens the socket only for
// a request that carries the session cookie and the session's qlik-csrf-token and comes from an Origin
// in the virtual proxy's host allow list; a mashup on another site also needs the cookie to be
// SameSite=None (or the browser keeps it back) and CORS headers that let the page read the token.
// Pure data and wording, for the core, the CLI and the console.

/** The pieces, in the order a mashup needs them. */
export type SocketPiece = 'cookie' | 'samesite' | 'csrf-token' | 'origin' | 'socket';

export const SOCKET_PIECE_TITLES: Record<SocketPiece, string> = {
  cookie: 'session cookie',
  samesite: 'SameSite',
  'csrf-token': 'CSRF token',
  origin: 'origin in the allow list',
  socket: 'engine socket',
};

export interface SocketFinding {
  piece: SocketPiece;
  /** pass: present; missing: the piece a mashup lacks; skipped: not checkable after an earlier one. */
  status: 'pass' | 'missing' | 'skipped';
  /** What was seen, in one line. */
  detail: string;
  /** On missing: the QMC (or login) fix. */
  fix?: string;
}

export interface SocketDiagnosis {
  /** The socket opened as the mashup would open it, every piece present. */
  ok: boolean;
  /** The first piece missing, in SocketPiece order. */
  firstMissing?: SocketPiece;
  findings: SocketFinding[];
  /** The user the engine socket's proxy named, when it opened. */
  user?: string;
}

/** One line per finding, as the CLI prints it: `missing CSRF token: ... Fix: ...`. */
export function socketFindingLine(finding: SocketFinding): string {
  const head = `${finding.status === 'pass' ? 'ok     ' : finding.status === 'missing' ? 'MISSING' : 'skipped'} ${SOCKET_PIECE_TITLES[finding.piece]}: ${finding.detail}`;
  return finding.fix ? `${head} Fix: ${finding.fix}` : head;
}
