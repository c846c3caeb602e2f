// "Log in as": the ways Usher can log a user in on a virtual proxy, and which of them a virtual proxy
// takes, read from its QRS authenticationMethod. Pure, for the core, the CLI and the renderer alike.

/**
 * ticket: a QPS ticket redeemed in the partition; session: the session API and a cookie set by hand;
 * header: the virtual proxy's user header on each request; jwt: `Authorization: Bearer` with a minted token.
 */
export type LoginMethod = 'ticket' | 'session' | 'header' | 'jwt';

export const LOGIN_METHODS: readonly LoginMethod[] = ['ticket', 'session', 'header', 'jwt'];

export const LOGIN_METHOD_LABELS: Record<LoginMethod, string> = {
  ticket: 'Ticket',
  session: 'Session API',
  header: 'Header',
  jwt: 'JWT (bearer token)',
};

/** QRS authenticationMethod: 0 Ticket, 1 static header, 2 dynamic header, 3 SAML, 4 JWT, 5 OIDC. */
export function authenticationMethodName(code: number): string {
  return ['ticket', 'static header', 'dynamic header', 'SAML', 'JWT', 'OIDC'][code] ?? `method ${code}`;
}

/**
 * The methods a virtual proxy takes: its own (ticket, header or JWT) first, then the session API, which
 * the QPS offers on every virtual proxy (a portal that logged the user in by any means hands the session
 * over that way). SAML and OIDC need an identity provider in the loop: only the session API is left.
 */
export function loginMethodsOf(authenticationMethod: number): LoginMethod[] {
  switch (authenticationMethod) {
    case 0:
      return ['ticket', 'session'];
    case 1:
    case 2:
      return ['header', 'session'];
    case 4:
      return ['jwt', 'session'];
    default:
      return ['session'];
  }
}
