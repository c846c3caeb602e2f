// What each section is for, in the words a Qlik Sense admin knows from the QMC and Qlik's help: virtual
// proxy, QPS, QRS, ticket, session cookie, proxy node. Shown folded under each section's heading.
import type { Section } from './stores/app-store';

export const SECTION_HELP: Record<Section, string> = {
  trust:
    'Qlik Sense trusts a caller by its client certificate. The QMC (Certificates > Export) writes client.pem, client_key.pem and root.pem; with them Usher calls the QPS (Qlik Proxy Service API, port 4243) and the QRS (Qlik Repository Service API, port 4242) as a trusted server would. The trust check walks files, chain, TCP, the server certificate, the client certificate, QRS and the discovery of proxy nodes and virtual proxies, and names the step that fails.',
  site: 'A site is what the trust check found: the QPS and QRS addresses, the proxy nodes and virtual proxies QRS reported, and the client certificate kept encrypted in the vault. Renaming keeps its id, certificates and audit history; an export holds no certificate or key.',
  tickets:
    "A ticket is a one-time key the QPS issues for a user (UserDirectory\\UserId, with optional attributes) on one virtual proxy (its prefix, for example /ticket). The browser must redeem it within 60 seconds by adding qlikTicket=... to an address on that virtual proxy; the proxy then sets the session cookie (X-Qlik-Session, or the virtual proxy's own session cookie header name). Header and JWT virtual proxies log in without a ticket: the header or token is the login.",
  partitions:
    "A partition is a browser cookie jar. The proxy knows a session only by its session cookie, so a jar holds one session per virtual proxy cookie: two users logged in through one jar overwrite each other's cookie and the older window silently runs as the newer user. Isolated partitions keep users apart, as separate browser profiles or containers do.",
  sessions:
    "Every proxy node's QPS keeps the sessions of each virtual proxy. A user may hold five sessions at a time (the sixth login is refused until one ends). Here are all of them, per user, with the partition holding each and whether Usher made it; ending a session logs that browser out.",
  checks:
    'The virtual proxies as QRS describes them in the QMC: prefix, session cookie header name, authentication method and module redirect URI, linked proxy nodes and load-balanced engines, and the host allow list (the "Host allow list" a mashup\'s origin must be on for its WebSocket). Each finding names the QMC field to change.',
  jwt: 'A JWT virtual proxy logs a user in from a signed JSON Web Token: the QMC holds the public certificate and the names of the user id and user directory attributes (JWT attribute for user ID / user directory); the proxy checks the signature and sets the session cookie, no ticket involved.',
  seed003:
    "A mashup site that gives each app its own dummy user opens two mashups in two tabs of one browser. The second ticket replaces the session cookie both tabs share: the first tab's engine WebSocket keeps working, but its images and export downloads now run as the second user and are refused. Isolated partitions (one jar per user) are the fix this section proves.",
  validator:
    'An authentication module is the web application a virtual proxy sends people to (its authentication module redirect URI). It signs the user in, asks the QPS for a ticket and redirects back with qlikTicket. The validator plays the proxy and the QPS for your module and grades each step.',
  requests:
    'Every QPS and QRS call the console made: method, address, status, timing and the Xrfkey header (the cross-site request forgery key both ends must carry). Tickets and session ids are masked; Copy as curl hands main the real ones.',
  audit:
    'Every ticket and session Usher created, on which site and virtual proxy, for which user and why: the record to answer "who logged in as whom" after the fact.',
};

/** The first-run path on the demo site: trust, a ticket, partitions, sessions. */
export const FIRST_RUN_STEPS: ReadonlyArray<{ section: Section; text: string }> = [
  { section: 'trust', text: "Trust: check the demo site's QMC export against its QPS and QRS." },
  { section: 'tickets', text: 'Log in as: ask the QPS for a ticket and open it in a partition.' },
  { section: 'partitions', text: 'Partitions: see the session cookie each jar holds.' },
  { section: 'sessions', text: 'Sessions: find that session on the proxy node, then end it.' },
];
