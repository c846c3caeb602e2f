// undici, loaded on first use. Loading it costs more CPU than starting Node itself (about a quarter of a
// second on our 2-core machines), and most `usher` commands (profile list, jwt, audit, vault, --help)
// never make a request: the modules that do ask for it here, at the moment they build an Agent or send.
import type * as Undici from 'undici';

let loaded: typeof Undici | undefined;

/** The undici module, required the first time it is asked for. */
export function undici(): typeof Undici {
  // A plain require: esbuild keeps it as the bundle's require of the external package, and Vitest's
  // module runner gives TypeScript modules a require of their own.
  loaded ??= require('undici') as typeof Undici;
  return loaded;
}
