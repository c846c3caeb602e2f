// Where Usher keeps its files when no Electron `app.getPath('userData')` is at hand (the CLI, tests).
// USHER_DATA_DIR overrides everything, so tests and CI never touch a real profile.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function usherDataDir(): string {
  const override = process.env.USHER_DATA_DIR;
  if (override) return override;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Usher');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Usher');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Usher');
}

/** The lock file that lets one process at a time write the vault and the profile ids (core/fs/write-lock). */
export function dataWriteLockPath(dataDir: string): string {
  return join(dataDir, 'usher-write.lock');
}
