// The console's exports (files.save) through the backend on the built-in demo site: the checks' last run
// as Markdown and JUnit, the audit log as CSV and the request log as HAR, written into the folder the
// chromium host saves to (no save dialog there) and read back by the parsers of their tools.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleBackend, type ConsoleBackend } from '../../electron/app/console-backend';
import { numberedFileName } from '../../electron/core/fs/free-file-name';
import { MemoryKeychain } from '../../electron/core/vault';
import type { Channel, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import { harSchemaErrors } from '../support/har-schema';
import { JarHost } from '../support/jar-host';
import { testPki } from '../support/test-site';

const root = mkdtempSync(join(tmpdir(), 'usher-exports-'));
const exportsDir = join(root, 'Downloads');
const host = new JarHost(join(root, 'browser-storage'));
let backend: ConsoleBackend;

function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  return backend.handlers[channel](request);
}

/** Saves `what` and checks where it went: the one new file in the Downloads folder, under the first free name. */
async function saved(what: RequestOf<'files.save'>['what']): Promise<{ view: ResponseOf<'files.save'>; text: string }> {
  const before = existsSync(exportsDir) ? readdirSync(exportsDir) : [];
  const view = await call('files.save', { what });
  const added = readdirSync(exportsDir).filter((name) => !before.includes(name));
  let n = 0;
  while (before.includes(numberedFileName(view.fileName, n))) n++;
  expect(added).toEqual([numberedFileName(view.fileName, n)]);
  expect(view.path).toBe(join(exportsDir, added[0]!));
  return { view, text: readFileSync(view.path!, 'utf8') };
}

beforeAll(async () => {
  backend = await createConsoleBackend({
    dataDir: join(root, 'data'),
    host,
    hostKind: 'chromium',
    keychain: new MemoryKeychain(),
    demoPki: testPki(),
    exportsDir,
  });
}, 60_000);

afterAll(async () => {
  await backend?.close();
  await host.close();
  rmSync(root, { recursive: true, force: true });
});

describe('exports of the console, saved without a dialog', () => {
  it("saves the site's last checks run as Markdown and JUnit, each under a new name", async () => {
    const run = await call('checks.run', { profileId: 'demo', probe: false, origin: 'https://portal.example.com' });
    const md = await saved({ kind: 'checks', runId: run.runId, format: 'markdown' });
    expect(md.view).toMatchObject({ fileName: expect.stringMatching(/^usher-checks-demo-[\dT-]+\.md$/), items: run.findings.length });
    expect(md.view.path).toBe(join(exportsDir, md.view.fileName));
    expect(md.text).toContain(`**${run.checked.length} virtual proxies checked:`);
    expect(md.text).toContain('- mashup origin: https://portal.example.com');
    expect(md.text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))).toHaveLength(run.findings.length + 1);

    const junit = await saved({ kind: 'checks', runId: run.runId, format: 'junit' });
    expect(XMLValidator.validate(junit.text)).toBe(true);
    const { testsuite } = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(junit.text);
    const withErrors = new Set(run.findings.filter((f) => f.severity === 'error').map((f) => f.virtualProxy));
    expect(testsuite).toMatchObject({ tests: String(run.checked.length), failures: String(withErrors.size) });

    // The same export again never replaces the first file.
    const again = await call('files.save', { what: { kind: 'checks', runId: run.runId, format: 'markdown' } });
    expect(basename(again.path!)).toBe(md.view.fileName.replace(/\.md$/, ' (1).md'));
  });

  it('refuses a run that is no longer the last of its site, in words', async () => {
    const first = await call('checks.run', { profileId: 'demo', probe: false });
    await call('checks.run', { profileId: 'demo', probe: false });
    await expect(call('files.save', { what: { kind: 'checks', runId: first.runId, format: 'junit' } })).rejects.toMatchObject({
      code: 'RUN_NOT_FOUND',
      hint: 'Run the checks again, then export.',
    });
  });

  it('saves the audit log as CSV a spreadsheet cannot be tricked by', async () => {
    await call('tickets.request', {
      profileId: 'demo',
      virtualProxy: 'ticket',
      userDirectory: 'DEMO',
      userId: 'alice',
      attributes: [],
      reason: '=HYPERLINK("http://x")',
    });
    const { view, text } = await saved({ kind: 'audit' });
    const rows = parseCsv(text, { bom: true }) as string[][];
    expect(rows[0]![0]).toBe('Time');
    const ticketRow = rows.find((r) => r[7] === `'=HYPERLINK("http://x")`);
    expect(ticketRow).toMatchObject({ 1: 'ticket', 2: 'demo', 4: '/ticket', 5: 'DEMO', 6: 'alice' });
    expect(ticketRow![8]).toMatch(/•/);
    expect(view.items).toBe(rows.length - 1);
  });

  it('saves the request log as HAR 1.2 with response headers, timings, site and node, and no ticket', async () => {
    const issued = await call('tickets.request', { profileId: 'demo', virtualProxy: 'ticket', userDirectory: 'DEMO', userId: 'bob', attributes: [] });
    // The real ticket, as only the clipboard gets it: it must be in neither file.
    await call('tickets.copy', { ticketId: issued.ticketId, format: 'url' });
    const ticketValue = new URL(host.clipboard.at(-1)!).searchParams.get('qlikTicket')!;
    expect(ticketValue).toMatch(/^[^•]{16,}$/);
    const { view, text } = await saved({ kind: 'requestLog' });
    expect(text).not.toContain(ticketValue);
    expect((await saved({ kind: 'audit' })).text).not.toContain(ticketValue);
    const har = JSON.parse(text);
    expect(harSchemaErrors(har)).toEqual([]);
    expect(har.log.creator).toMatchObject({ name: 'Usher' });
    expect(view.items).toBe(har.log.entries.length);
    const ticket = har.log.entries.findLast((e: { request: { url: string } }) => e.request.url.includes('/qps/ticket/ticket'));
    expect(ticket).toMatchObject({ _service: 'qps', _site: 'demo', _node: expect.any(String), response: { status: 201 } });
    expect(ticket.response.headers).toContainEqual({ name: 'content-type', value: expect.stringContaining('application/json') });
    expect(ticket.time).toBe(ticket.timings.send + ticket.timings.wait + ticket.timings.receive);
    // Every ticket value in a body is masked.
    const tickets = [...text.matchAll(/\\"Ticket\\":\s*\\"([^"\\]*)/g)].map((m) => m[1]);
    expect(tickets.length).toBeGreaterThan(0);
    for (const value of tickets) expect(value).toMatch(/^.{4}•+$/);
  });
});
