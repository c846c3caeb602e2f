// One writer process for the cross-process vault tests, bundled once per test run with esbuild (see
// vault-processes.ts): starting it costs a plain `node` start, not a tsx compile.
//   node vault-worker.cjs add DIR ID       stores the bundle "secret of ID" under ID
//   node vault-worker.cjs rotate DIR       rotates the data key
//   node vault-worker.cjs read DIR ID...   loads each ID and checks it holds "secret of ID"
//   node vault-worker.cjs fill DIR N       stores f0 .. f<N-1> like `add` (one process, N writes)
//   node vault-worker.cjs profile DIR NAME a new profile NAME with the certificate set in the JSON file
//                                          USHER_TEST_SET names, its source marked "made for NAME" (what
//                                          `usher profile add` and the console's save do after the check)
// The keychain is the Secret Service entry named by USHER_KEYCHAIN_SERVICE, else the passphrase in
// USHER_VAULT_PASSPHRASE (exactly what the CLI's context does). Exit 0 on success, 1 with the error.
// With USHER_TEST_BARRIER set, it opens the vault, prints "ready" and waits for a line on stdin before
// its operation, so that a test can release many workers into the lock at the same moment.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { profileIdFromName } from '../../shared/profile';
import type { CertificateSet } from '../../electron/core/certs';
import { ProfileStore } from '../../electron/core/profiles';
import { createProfileWithCertificates } from '../../electron/core/profiles/certificate-bundle';
import { OsKeychain, VAULT_PASSPHRASE_ENV, Vault } from '../../electron/core/vault';

async function main(): Promise<void> {
  const [op, dir, id, ...more] = process.argv.slice(2);
  if (!dir) throw new Error('usage: vault-worker add|rotate DIR [ID]');
  const vault = await Vault.open({
    dir,
    keychain: new OsKeychain(process.env.USHER_KEYCHAIN_SERVICE || 'Usher-test-missing'),
    passphrase: async () => process.env[VAULT_PASSPHRASE_ENV] || undefined,
  });
  if (vault.mode.kind !== 'keychain') throw new Error(`memory mode: ${vault.mode.reason}`);
  if (process.env.USHER_TEST_BARRIER) {
    const lines = createInterface({ input: process.stdin });
    const go = once(lines, 'line');
    process.stdout.write('ready\n');
    await go;
    lines.close();
  }
  if (op === 'add' && id) await vault.save(id, Buffer.from(`secret of ${id}`));
  else if (op === 'rotate') await vault.rotateKey();
  else if (op === 'fill' && id) {
    for (let i = 0; i < Number(id); i++) await vault.save(`f${i}`, Buffer.from(`secret of f${i}`));
  } else if (op === 'profile' && id) {
    const pems = JSON.parse(readFileSync(process.env.USHER_TEST_SET!, 'utf8')) as Omit<CertificateSet, 'source'>;
    const now = new Date().toISOString();
    const profile = {
      id: profileIdFromName(id),
      name: id,
      qps: 'https://qlik.example.com:4243',
      qrs: 'https://qlik.example.com:4242',
      defaultVirtualProxy: '',
      defaultUserDirectory: '',
      nodes: [],
      virtualProxies: [],
      createdAt: now,
      updatedAt: now,
    };
    await createProfileWithCertificates(new ProfileStore(dir), vault, profile, { ...pems, source: { kind: 'pem', files: [`made for ${id}`] } });
  } else if (op === 'read' && id) {
    for (const each of [id, ...more]) {
      const text = (await vault.load(each)).toString();
      if (text !== `secret of ${each}`) throw new Error(`${each} holds ${JSON.stringify(text)}`);
    }
  } else throw new Error(`unknown op ${String(op)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`);
    process.exit(1);
  },
);
