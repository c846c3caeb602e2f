// Which OS certificate a partition presents when a site asks for one: none, unless the profile names one
// by fingerprint, and then only that exact certificate. Real certificates, made at test time.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chooseClientCertificate, normaliseFingerprint256 } from '../../electron/hosts/client-certificate';
import { PartitionManager, partitionOwner } from '../../electron/app/partition-manager';
import { answerClientCertificateRequests } from '../../electron/main/session-security';
import { fakeElectron } from '../support/fake-electron';
import type { BrowserHost, PartitionOptions } from '../../electron/hosts/browser-host';
import { fixtures, tempFolder } from '../support/cert-fixtures';

const offered = () => [{ data: fixtures.client().certPem }, { data: fixtures.otherClient().certPem }, { data: 'not a certificate' }];
const fingerprintOf = (pem: string) => new X509Certificate(pem).fingerprint256;

describe('chooseClientCertificate', () => {
  it('presents none when the profile names none, whatever the OS offers', () => {
    expect(chooseClientCertificate(offered(), undefined)).toBeUndefined();
    expect(chooseClientCertificate([{ data: fixtures.client().certPem }], undefined)).toBeUndefined();
  });

  it('presents exactly the named certificate, in any fingerprint spelling', () => {
    const list = offered();
    const wanted = fingerprintOf(fixtures.otherClient().certPem);
    expect(chooseClientCertificate(list, wanted)).toBe(list[1]);
    expect(chooseClientCertificate(list, wanted.replace(/:/g, '').toLowerCase())).toBe(list[1]);
  });

  it('presents none when the named certificate is not offered or the fingerprint is garbage', () => {
    // Same subject and CA as the offered ones, another key: not the certificate the profile named.
    expect(chooseClientCertificate(offered(), fingerprintOf(fixtures.recreatedClient().certPem))).toBeUndefined();
    for (const bad of ['', 'AB:CD', fingerprintOf(fixtures.client().certPem).slice(0, -1), 'G'.repeat(64), `${fingerprintOf(fixtures.client().certPem)}:00`]) {
      expect(chooseClientCertificate(offered(), bad), bad).toBeUndefined();
    }
  });

  it('normalises the two spellings QMC and OpenSSL print, and nothing else', () => {
    const hex = 'ab'.repeat(32);
    expect(normaliseFingerprint256(hex)).toBe(Array(32).fill('AB').join(':'));
    expect(normaliseFingerprint256(Array(32).fill('ab').join(':'))).toBe(Array(32).fill('AB').join(':'));
    expect(normaliseFingerprint256('a:b'.repeat(32))).toBeUndefined();
  });
});

describe('the profile reaches the partition', () => {
  it("opens the site's windows with the certificate the profile allows, and without one when it allows none", async () => {
    const opened: PartitionOptions[] = [];
    const host = {
      kind: 'chromium',
      openPartition: async (options: PartitionOptions) => {
        opened.push(options);
        return { partitionId: options.partitionId, close: async () => undefined };
      },
    } as unknown as BrowserHost;
    const manager = new PartitionManager({ host, dataDir: tempFolder(), cookieConfig: async () => [] });
    const allowed = fingerprintOf(fixtures.client().certPem);
    await manager.window({ kind: 'new' }, partitionOwner({ id: 'prod', name: 'Prod', partitionClientCertificate: allowed }, 'CA', 'alice'));
    await manager.window({ kind: 'new' }, partitionOwner({ id: 'test', name: 'Test' }, 'CA', 'bob'));
    expect(opened.map((o) => o.clientCertificateFingerprint256)).toEqual([allowed, undefined]);
  });
});

describe('the app-level handler', () => {
  function ask(choose: Parameters<typeof answerClientCertificateRequests>[1]): unknown[][] {
    const app = new (fakeElectron.app.constructor as new () => typeof fakeElectron.app)();
    answerClientCertificateRequests(app as unknown as Electron.App, choose);
    const calls: unknown[][] = [];
    const offered = [{ data: fixtures.client().certPem }];
    expect(app.emit('select-client-certificate', null, 'https://site/', offered, (...args: unknown[]) => calls.push(args)).defaultPrevented).toBe(true);
    return calls;
  }

  it('presents none when the chooser throws or answers with a certificate that was not offered', () => {
    expect(
      ask(() => {
        throw new Error('broken');
      }),
    ).toEqual([[undefined]]);
    expect(ask(() => ({ data: fixtures.client().certPem }) as Electron.Certificate)).toEqual([[undefined]]);
  });
});
