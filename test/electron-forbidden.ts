// Aliased in place of 'electron' for the whole test run: a test that needs Electron must vi.mock it.
throw new Error("'electron' was imported by a test without vi.mock('electron'): npm test must never load Electron");
