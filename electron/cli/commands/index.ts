// The command list, in the order `usher --help` shows it. Each command's module is imported only when
// that command runs: `usher --version` and `usher help` load none of them.
import type { CommandEntry } from '../command';

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'demo',
    summary: 'walk the ticketing story (and the shared-cookie failure) on the built-in site',
    load: async () => (await import('./demo.js')).demoCommand,
  },
  {
    name: 'simulate',
    summary: 'run the built-in Qlik Sense site (proxy, QPS, QRS per node) until stopped',
    load: async () => (await import('./simulate.js')).simulateCommand,
  },
  {
    name: 'profile',
    summary: 'sites as profiles: add (import certificates), list, show, check, remove, export, import',
    load: async () => (await import('./profile.js')).profileCommand,
  },
  { name: 'ticket', summary: 'request a one-minute ticket for a user from a QPS', load: async () => (await import('./ticket.js')).ticketCommand },
  {
    name: 'login-as',
    summary: 'log a user in on a virtual proxy (ticket, session API, header) and check the session',
    load: async () => (await import('./login-as.js')).loginAsCommand,
  },
  {
    name: 'sessions',
    summary: 'list (or end) sessions across every node and virtual proxy',
    load: async () => (await import('./sessions.js')).sessionsCommand,
  },
  {
    name: 'proxies',
    summary: 'list virtual proxies and the proxy nodes that link them (QRS)',
    load: async () => (await import('./proxies.js')).proxiesCommand,
  },
  {
    name: 'check',
    summary: 'check the virtual proxy setup (and embedding from an origin); exit 1 on errors',
    load: async () => (await import('./check.js')).checkCommand,
  },
  {
    name: 'scenario',
    summary: "run a known failure side by side (shared-jar: seed 003, one cookie jar for two ticket users; socket: a mashup's engine WebSocket)",
    load: async () => (await import('./scenario.js')).scenarioCommand,
  },
  {
    name: 'validate-module',
    summary: 'test an authentication module against the proxy side of the ticket contract; exit 1 on a failed step',
    load: async () => (await import('./validate-module.js')).validateModuleCommand,
  },
  {
    name: 'jwt',
    summary: 'JWT virtual proxies: make a signing pair, mint a token for a user, verify a token as Qlik will',
    load: async () => (await import('./jwt.js')).jwtCommand,
  },
  { name: 'audit', summary: 'the audit log of tickets and sessions Usher created', load: async () => (await import('./audit.js')).auditCommand },
  { name: 'vault', summary: 'the certificate vault: status, rotate the data key', load: async () => (await import('./vault.js')).vaultCommand },
];
