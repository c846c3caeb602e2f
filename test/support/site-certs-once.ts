// Vitest global setup: one kept site certificate folder per test run (USHER_SITE_CERTS, made by the
// product's own code), so that test files and the `usher` processes they start load a CA instead of
// making four RSA keys each. Tests read its path with inject('siteCerts'); the CLI's own tests of the
// folder (cli-site-certs) make fresh ones.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openKeptSiteCertificates } from '../../electron/simulator/kept-site-certificates';

declare module 'vitest' {
  export interface ProvidedContext {
    siteCerts: string;
  }
}

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'usher-site-certs-'));
  const dir = join(root, 'certs');
  openKeptSiteCertificates(dir, 'usher-test-CA');
  project.provide('siteCerts', dir);
  return () => rmSync(root, { recursive: true, force: true });
}
