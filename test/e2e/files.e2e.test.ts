// Files into the console in real Chromium (the chromium host): a drop of the QMC export's files on the
// trust wizard fills the path fields with their paths on disk, which the page itself cannot know (the
// host asks the browser through DevTools' DOM.getFileInfo); a File the page made up has no path.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsoleHarness, type ConsoleHarness } from './console-harness';

let harness: ConsoleHarness;
let page: Page;
const exportDir = mkdtempSync(join(tmpdir(), 'usher-e2e-drop-'));
const NAMES = ['client.pem', 'client_key.pem', 'root.pem'];

beforeAll(async () => {
  for (const name of NAMES) writeFileSync(join(exportDir, name), '-----BEGIN CERTIFICATE-----\n');
  harness = await openConsoleHarness({ tempPrefix: 'usher-e2e-files-', timeoutMs: 15_000 });
  page = harness.page;
  await page.getByRole('navigation', { name: 'Console' }).getByRole('button', { name: /demo/ }).first().waitFor();
}, 120_000);

afterAll(async () => {
  await harness?.close();
  rmSync(exportDir, { recursive: true, force: true });
});

/**
 * Drops `paths` on the trust wizard's drop zone as a person's drag from the file manager would: real
 * file-backed Files (taken through a file input, the one way a test gets them) in a DataTransfer.
 */
async function dropFiles(paths: string[]): Promise<void> {
  await page.evaluate(() => {
    const d = (
      globalThis as unknown as {
        document: { createElement(t: string): { type: string; id: string; multiple: boolean; hidden: boolean }; body: { append(e: unknown): void } };
      }
    ).document;
    const input = d.createElement('input');
    input.type = 'file';
    input.id = 'e2e-files';
    input.multiple = true;
    input.hidden = true;
    d.body.append(input);
  });
  await page.locator('#e2e-files').setInputFiles(paths);
  await page.evaluate(() => {
    const g = globalThis as unknown as {
      document: {
        getElementById(id: string): { files: unknown[]; remove(): void } | null;
        querySelector(s: string): { dispatchEvent(e: unknown): void } | null;
      };
      DataTransfer: new () => { items: { add(f: unknown): void } };
      DragEvent: new (type: string, init: object) => unknown;
    };
    const input = g.document.getElementById('e2e-files')!;
    const data = new g.DataTransfer();
    for (const file of Array.from(input.files)) data.items.add(file);
    input.remove();
    const zone = g.document.querySelector('.drop-zone')!;
    zone.dispatchEvent(new g.DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new g.DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  });
}

describe('files into the console in Chromium', () => {
  it("fills the trust wizard's PEM fields with the dropped files' paths on disk", async () => {
    await harness.showSection('Trust', null);
    await dropFiles(NAMES.map((n) => join(exportDir, n)));
    await expect.poll(() => page.getByLabel('Client certificate (client.pem)').inputValue()).toBe(join(exportDir, 'client.pem'));
    expect(await page.getByLabel('Client key (client_key.pem)').inputValue()).toBe(join(exportDir, 'client_key.pem'));
    expect(await page.getByLabel('Root certificate (root.pem)').inputValue()).toBe(join(exportDir, 'root.pem'));
  });

  it("fills a PEM field from Choose…: the browser's file chooser, the path told by the host", async () => {
    await harness.showSection('Trust', null);
    await page.getByLabel('PEM files').check();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Choose root.pem…' }).click()]);
    await chooser.setFiles(join(exportDir, 'root.pem'));
    await expect.poll(() => page.getByLabel('Root certificate (root.pem)').inputValue()).toBe(join(exportDir, 'root.pem'));
  });

  it('gives no path for a File the page made itself', async () => {
    await harness.showSection('Trust', null);
    const path = await page.evaluate(async () => {
      const g = globalThis as unknown as { File: new (parts: string[], name: string) => unknown; usherFiles: { pathForFile(f: unknown): Promise<string> } };
      return g.usherFiles.pathForFile(new g.File(['x'], 'client.pem'));
    });
    expect(path).toBe('');
  });
});
