// The console's sections, in the sidebar's order: their ids, the names people read (sidebar, window
// title, Electron's Go menu) and the key that opens each after `g` (the renderer's shortcuts). One list,
// so the menu the main process builds and the sidebar the renderer draws cannot drift apart.

export const SECTIONS = [
  { id: 'trust', title: 'Trust', key: 't' },
  { id: 'site', title: 'Site', key: 'i' },
  { id: 'tickets', title: 'Log in as', key: 'l' },
  { id: 'partitions', title: 'Partitions', key: 'p' },
  { id: 'sessions', title: 'Sessions', key: 's' },
  { id: 'checks', title: 'Checks', key: 'c' },
  { id: 'jwt', title: 'JWT', key: 'j' },
  { id: 'seed003', title: 'Two tabs, one cookie jar', key: 'o' },
  { id: 'validator', title: 'Validate module', key: 'v' },
  { id: 'requests', title: 'Request log', key: 'r' },
  { id: 'audit', title: 'Audit', key: 'a' },
] as const satisfies ReadonlyArray<{ id: string; title: string; key: string }>;

export type Section = (typeof SECTIONS)[number]['id'];

export const SECTION_IDS = SECTIONS.map((s) => s.id) as [Section, ...Section[]];

/** What the application menu asks the console to do (main -> renderer, the `console.command` event). */
export type ConsoleCommand = { kind: 'section'; section: Section } | { kind: 'shortcuts' } | { kind: 'filter' };
