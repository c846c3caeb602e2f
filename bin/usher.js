#!/usr/bin/env node
// The `usher` command. The sources are TypeScript; tsx compiles them on the fly (and caches them), so a
// fresh clone needs no build step before `npx usher`.
require('tsx/cjs');
require('../electron/cli/main.ts');
