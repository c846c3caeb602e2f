// The rename that puts a new kept certificate set in place, failing: a lost race (another process's set
// landed first; Windows says EPERM) is taken, any other failure (EPERM on Linux and macOS) is named as
// what it is, never as "holds other files ... empty the folder". Tests run as root, where chmod refuses
// nothing, so the failure is injected into node:fs's renameSync.
import { cpSync, mkdtempSync, readdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openKeptSiteCertificates, SiteCertificatesError } from '../../electron/simulator/kept-site-certificates';

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const renameSync = vi.fn(real.renameSync);
  return { ...real, renameSync, default: { ...real, renameSync } };
});

function eperm(from: string, to: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EPERM: operation not permitted, rename '${from}' -> '${to}'`), { code: 'EPERM', syscall: 'rename' });
}

describe('making a kept certificate folder when the rename fails', () => {
  const root = mkdtempSync(join(tmpdir(), 'usher-kept-rename-'));
  afterEach(() => vi.mocked(renameSync).mockReset());

  it('EPERM with the folder still empty: "cannot make" with the system\'s words, no staging folder left', () => {
    const dir = join(root, 'refused');
    vi.mocked(renameSync).mockImplementationOnce((from, to) => {
      throw eperm(String(from), String(to));
    });
    let err: unknown;
    try {
      openKeptSiteCertificates(dir);
    } catch (caught) {
      err = caught;
    }
    expect(err).toBeInstanceOf(SiteCertificatesError);
    expect((err as SiteCertificatesError).message).toBe(
      `cannot make the site certificate folder ${dir}: EPERM: operation not permitted, rename '${vi.mocked(renameSync).mock.calls[0]![0]}' -> '${dir}'`,
    );
    expect((err as SiteCertificatesError).hint).toBe('name a folder you may write to');
    expect(((err as SiteCertificatesError).cause as NodeJS.ErrnoException).code).toBe('EPERM');
    expect(readdirSync(root)).toEqual([]);
  });

  it("EPERM because another process's set landed first (Windows' answer): that set is opened", () => {
    const theirs = join(root, 'theirs');
    const landed = openKeptSiteCertificates(theirs, 'first-CA');
    const dir = join(root, 'raced');
    vi.mocked(renameSync).mockImplementationOnce((from, to) => {
      cpSync(theirs, String(to), { recursive: true });
      throw eperm(String(from), String(to));
    });
    expect(openKeptSiteCertificates(dir, 'second-CA').pki.ca.certPem).toBe(landed.pki.ca.certPem);
    expect(readdirSync(root).sort()).toEqual(['raced', 'theirs']);
  });
});
