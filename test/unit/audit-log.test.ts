import { appendFile, chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/profiles';
import type { AuditInput } from '../../electron/core/profiles';
import { sessionIdDigest } from '../../electron/core/sessions/session-inspector';

const POSIX = process.platform !== 'win32';
const TICKET = 'iokrVXSaIndQgEON';
const SESSION = '6d1f0a3b-5e7c-4c1e-9f20-8a7b6c5d4e3f';

function entry(overrides: Partial<AuditInput> = {}): AuditInput {
  return {
    action: 'ticket',
    profile: 'prod',
    node: 'central',
    virtualProxy: 'ticket',
    userDirectory: 'DEMO',
    userId: 'alice',
    reason: 'support case 42',
    ...overrides,
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'usher-audit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('AuditLog', () => {
  it('appends JSON lines and reads them back, newest last', async () => {
    const log = new AuditLog(dir);
    await log.append(entry({ at: '2025-01-01T10:00:00.000Z' }));
    await log.append(entry({ at: '2025-01-01T11:00:00.000Z', action: 'session-end', userId: 'bob' }));
    const text = await readFile(join(dir, 'audit.log'), 'utf8');
    expect(text.split('\n')).toHaveLength(3);
    expect(text.endsWith('\n')).toBe(true);
    const { entries, skippedLines } = await log.read();
    expect(skippedLines).toBe(0);
    expect(entries.map((e) => [e.at, e.action, e.userId])).toEqual([
      ['2025-01-01T10:00:00.000Z', 'ticket', 'alice'],
      ['2025-01-01T11:00:00.000Z', 'session-end', 'bob'],
    ]);
    expect(entries[0]).toEqual({ ...entry(), at: '2025-01-01T10:00:00.000Z' });
  });

  it('stamps the time when none is given', async () => {
    const log = new AuditLog(dir);
    const before = Date.now();
    await log.append(entry());
    const [only] = (await log.read()).entries;
    expect(Date.parse(only!.at)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(only!.at)).toBeLessThanOrEqual(Date.now());
  });

  it('filters by profile and time, then keeps the newest `limit`', async () => {
    const log = new AuditLog(dir);
    for (let h = 0; h < 6; h++) {
      await log.append(entry({ at: `2025-01-01T0${h}:00:00.000Z`, profile: h % 2 === 0 ? 'prod' : 'test', userId: `u${h}` }));
    }
    const ids = async (options: Parameters<AuditLog['read']>[0]): Promise<string[]> => (await log.read(options)).entries.map((e) => e.userId);
    expect(await ids({ profile: 'prod' })).toEqual(['u0', 'u2', 'u4']);
    expect(await ids({ since: new Date('2025-01-01T03:00:00.000Z') })).toEqual(['u3', 'u4', 'u5']);
    expect(await ids({ limit: 2 })).toEqual(['u4', 'u5']);
    expect(await ids({ profile: 'test', since: new Date('2025-01-01T02:00:00.000Z'), limit: 1 })).toEqual(['u5']);
    expect(await ids({ limit: 0 })).toEqual([]);
  });

  it('never stores a full ticket or session id, even when one is passed in', async () => {
    const log = new AuditLog(dir);
    const sneaky = { ...entry({ ticketMasked: TICKET, sessionIdMasked: SESSION }), ticket: TICKET, sessionId: SESSION } as AuditInput;
    await log.append(sneaky);
    const text = await readFile(join(dir, 'audit.log'), 'utf8');
    expect(text).not.toContain(TICKET);
    expect(text).not.toContain(TICKET.slice(4));
    expect(text).not.toContain(SESSION);
    expect(text).not.toContain(SESSION.slice(4, 20));
    const [only] = (await log.read()).entries;
    expect(only!.ticketMasked).toBe('iokr••••••••••••');
    expect(only!.sessionIdMasked).toBe('6d1f••••••••••••');
    expect(only).not.toHaveProperty('ticket');
  });

  it('keeps a session id digest, and drops a raw id passed in its place', async () => {
    const log = new AuditLog(dir);
    const digest = sessionIdDigest(SESSION);
    await log.append(entry({ action: 'session-create', sessionIdMasked: SESSION, sessionIdDigest: digest }));
    await log.append(entry({ action: 'session-create', sessionIdDigest: SESSION }));
    const { entries } = await log.read();
    expect(entries.map((e) => e.sessionIdDigest)).toEqual([digest, undefined]);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(await readFile(log.file, 'utf8')).not.toContain(SESSION);
  });

  it('leaves an already masked value as it is', async () => {
    const log = new AuditLog(dir);
    await log.append(entry({ ticketMasked: 'iokr••••••••••••' }));
    expect((await log.read()).entries[0]!.ticketMasked).toBe('iokr••••••••••••');
  });

  it('skips and counts garbage and torn lines, and a later append survives a torn tail', async () => {
    const log = new AuditLog(dir);
    await log.append(entry({ userId: 'first' }));
    await appendFile(join(dir, 'audit.log'), 'garbage\n\n{"at":"2025-01-01T00:00:00.000Z","action":"explode"}\n{"at":"2025-01-01T00:0');
    await log.append(entry({ userId: 'after-torn' }));
    const { entries, skippedLines } = await log.read();
    expect(entries.map((e) => e.userId)).toEqual(['first', 'after-torn']);
    expect(skippedLines).toBe(3);
  });

  it('creates the log with mode 0600 and tightens an existing looser one', async () => {
    if (!POSIX) return;
    const log = new AuditLog(dir);
    await log.append(entry());
    expect((await stat(join(dir, 'audit.log'))).mode & 0o777).toBe(0o600);

    const other = await mkdtemp(join(tmpdir(), 'usher-audit-b-'));
    try {
      await writeFile(join(other, 'audit.log'), '');
      await chmod(join(other, 'audit.log'), 0o644);
      await new AuditLog(other).append(entry());
      expect((await stat(join(other, 'audit.log'))).mode & 0o777).toBe(0o600);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('reads a missing log as empty and refuses a malformed entry', async () => {
    const log = new AuditLog(join(dir, 'not-yet'));
    expect(await log.read()).toEqual({ entries: [], skippedLines: 0 });
    await expect(log.append({ ...entry(), action: 'explode' } as unknown as AuditInput)).rejects.toThrow(TypeError);
    await expect(log.append({ ...entry(), userId: undefined } as unknown as AuditInput)).rejects.toThrow(
      'Audit entry is malformed: userId: must be a string, got nothing',
    );
    expect(await log.read()).toEqual({ entries: [], skippedLines: 0 });
  });

  it('keeps every line whole under concurrent appends', async () => {
    const log = new AuditLog(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(entry({ userId: `u${i}` }))));
    const { entries, skippedLines } = await log.read();
    expect(skippedLines).toBe(0);
    expect(entries.map((e) => e.userId)).toEqual(Array.from({ length: 50 }, (_, i) => `u${i}`));
  });
});
