// Keychains for vault tests, and the probe that tells whether a real Secret Service is reachable.
import { spawnSync } from 'node:child_process';
import type { Keychain } from '../../electron/core/vault';

/** A keychain whose every call throws (an OS keychain that is missing, locked or broken). */
export class FailingKeychain implements Keychain {
  readonly name = 'failing keychain';
  calls = 0;
  constructor(private readonly error: () => Error = () => new Error('Platform failure: no keychain here')) {}
  async getKey(): Promise<Buffer | undefined> {
    this.calls += 1;
    throw this.error();
  }
  async setKey(): Promise<void> {
    this.calls += 1;
    throw this.error();
  }
  async deleteKey(): Promise<void> {
    this.calls += 1;
    throw this.error();
  }
}

/** How to get a Secret Service for the integration test (what .ci/run does). */
export const SECRET_SERVICE_RECIPE =
  'install it once with `apt-get install -y gnome-keyring dbus`, then run the tests under ' +
  '`test/support/with-keychain.sh npx vitest run test/integration/vault-keychain.test.ts` ' +
  '(a private D-Bus session with an unlocked gnome-keyring, a throwaway HOME and XDG_RUNTIME_DIR)';

/**
 * Whether the Secret Service answers, asked from a child process with a hard timeout so that a hung
 * D-Bus can never hang the test run. Synchronous, so that it can drive `it.skipIf` at collection time.
 */
export function probeSecretService(timeoutMs = 10_000): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: `the Secret Service test is for Linux (this is ${process.platform})` };
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) return { ok: false, reason: 'DBUS_SESSION_BUS_ADDRESS is not set (no D-Bus session)' };
  const script = `
    const { Entry } = require('@napi-rs/keyring');
    const entry = new Entry('Usher-probe-' + process.pid, 'probe', { linux: { store: 'secret-service' } });
    entry.setPassword('probe');
    if (entry.getPassword() !== 'probe') throw new Error('the Secret Service did not give back what it stored');
    entry.deletePassword();
  `;
  const result = spawnSync(process.execPath, ['-e', script], { timeout: timeoutMs, encoding: 'utf8', cwd: process.cwd() });
  if (result.error) return { ok: false, reason: `the Secret Service probe failed: ${result.error.message}` };
  if (result.status !== 0) {
    const line = (result.stderr || '').split('\n').find((l) => /Error/.test(l)) ?? `exit ${String(result.status)}`;
    return { ok: false, reason: `the Secret Service is not usable: ${line.trim()}` };
  }
  return { ok: true };
}
