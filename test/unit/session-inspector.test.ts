// The session inspector's pure model: grouping by user (case-insensitive, as Qlik), the site-wide count
// against the parallel-session limit, partitions and Usher's own sessions, each warning, and that no
// session id reaches the view.
import { describe, expect, it } from 'vitest';
import type { SessionEntry } from '../../electron/core/sessions/inventory';
import { buildInspectorModel, RowKeys, sessionIdDigest, type GatheredSessions, type InspectorModelInput } from '../../electron/core/sessions/session-inspector';
import { inspectorLines, limitState, visibleWindow } from '../../shared/sessions';

let seq = 0;
function session(userId: string, nodeName: string, prefix: string, extra: Partial<SessionEntry> = {}): SessionEntry {
  seq++;
  return {
    userDirectory: 'MASHUP',
    userId,
    attributes: [],
    sessionId: `sess-${userId}-${nodeName}-${prefix}-${seq}-0123456789abcdef`,
    nodeName,
    hostName: 'localhost',
    qpsBaseUrl: `https://${nodeName}:4243`,
    prefix,
    ...extra,
  };
}

function gathered(
  sessions: SessionEntry[],
  virtualProxies = [
    { prefix: '', sessionCookieHeaderName: 'X-Qlik-Session' },
    { prefix: 'ticket', sessionCookieHeaderName: 'X-Qlik-Session-ticket' },
  ],
): GatheredSessions {
  return {
    nodes: [
      { nodeName: 'central', hostName: 'localhost', qpsBaseUrl: 'https://central:4243', prefixes: virtualProxies.map((v) => v.prefix) },
      { nodeName: 'rim1', hostName: 'localhost', qpsBaseUrl: 'https://rim1:4243', prefixes: virtualProxies.map((v) => v.prefix) },
    ],
    virtualProxies,
    inventory: { nodes: [], sessions, failures: [] },
  };
}

const keys = new RowKeys();
function model(sessions: SessionEntry[], overrides: Partial<InspectorModelInput> = {}) {
  return buildInspectorModel({
    profileId: 'demo',
    gathered: gathered(sessions),
    holders: new Map(),
    createdDigests: new Set(),
    rowKeys: keys,
    now: new Date('2025-02-01T10:00:00Z'),
    durationMs: 12.4,
    ...overrides,
  });
}

describe('session inspector model', () => {
  it('groups by user case-insensitively and counts across every node and virtual proxy', () => {
    const sessions = [
      session('a1', 'central', ''),
      session('A1', 'rim1', 'ticket', { userDirectory: 'mashup' }),
      session('a1', 'rim1', ''),
      session('a2', 'central', 'ticket'),
    ];
    const { view, rows } = model(sessions);
    expect(view.groups.map((g) => [g.userId, g.count, g.state])).toEqual([
      ['a1', 3, 'ok'],
      ['a2', 1, 'ok'],
    ]);
    expect(view.groups[0]!.rows.map((r) => `${r.nodeName}${r.virtualProxy}`)).toEqual(['central', 'rim1ticket', 'rim1']);
    expect(view.totalSessions).toBe(4);
    expect(view.pairs).toBe(4);
    expect(view.durationMs).toBe(12);
    expect(view.warnings).toEqual([]);
    // Every row maps back to its session in the main process only.
    expect(rows.size).toBe(4);
    for (const group of view.groups) for (const row of group.rows) expect(rows.get(row.rowKey)?.userId.toLowerCase()).toBe(row.userId.toLowerCase());
  });

  it('never puts a session id in the view: masked ids and opaque, stable row keys', () => {
    const sessions = [session('a1', 'central', ''), session('a2', 'rim1', 'ticket')];
    const first = model(sessions).view;
    const text = JSON.stringify(first);
    for (const s of sessions) {
      expect(text).not.toContain(s.sessionId);
      expect(text).not.toContain(sessionIdDigest(s.sessionId));
    }
    expect(first.groups[0]!.rows[0]!.sessionIdMasked).toMatch(/^sess•+$/);
    expect(model(sessions).view.groups.map((g) => g.rows[0]!.rowKey)).toEqual(first.groups.map((g) => g.rows[0]!.rowKey));
    expect(new RowKeys().of(sessions[0]!)).not.toBe(keys.of(sessions[0]!));
  });

  it('marks the sessions Usher created (audit digests) and the partition holding each', () => {
    const sessions = [session('a1', 'central', 'ticket'), session('a1', 'rim1', 'ticket'), session('a2', 'central', '')];
    const { view } = model(sessions, {
      createdDigests: new Set([sessionIdDigest(sessions[0]!.sessionId), sessionIdDigest(sessions[2]!.sessionId)]),
      holders: new Map([[sessions[0]!.sessionId, { partitionId: 'ticket-1', label: 'Tab 1' }]]),
    });
    const a1 = view.groups[0]!.rows;
    expect(a1.map((r) => r.createdByUsher)).toEqual([true, false]);
    expect(a1[0]!.partition).toEqual({ partitionId: 'ticket-1', label: 'Tab 1' });
    expect(a1[1]!.partition).toBeUndefined();
    expect(view.createdByUsher).toBe(2);
    expect(a1[0]!.cookieName).toBe('X-Qlik-Session-ticket');
  });

  it('sorts users with the most sessions first and states at and over the limit', () => {
    const five = Array.from({ length: 5 }, (_, i) => session('full', i % 2 ? 'rim1' : 'central', i % 2 ? '' : 'ticket'));
    const seven = Array.from({ length: 7 }, () => session('over', 'central', ''));
    const { view } = model([session('few', 'central', ''), ...five, ...seven]);
    expect(view.groups.map((g) => `${g.userId}:${g.count}:${g.state}`)).toEqual(['over:7:over-limit', 'full:5:at-limit', 'few:1:ok']);
    const limits = view.warnings.filter((w) => w.kind === 'session-limit');
    expect(limits.map((w) => w.severity)).toEqual(['error', 'warning']);
    expect(limits[1]!.message).toContain('MASHUP\\full holds 5 of 5 parallel sessions');
    expect(limits[1]!.rowKeys).toEqual(view.groups[1]!.rows.map((r) => r.rowKey));
    // Errors come before warnings.
    expect(view.warnings.map((w) => w.severity)).toEqual(['error', 'warning']);
  });

  it('warns when one partition holds two users on the same virtual proxy (seed 003), not on different ones', () => {
    const a1 = session('a1', 'central', 'ticket');
    const a2 = session('a2', 'central', 'ticket');
    const a3 = session('a3', 'central', '');
    const jar = { partitionId: 'ticket-9', label: 'Shared tab' };
    const { view } = model([a1, a2, a3], {
      holders: new Map([
        [a1.sessionId, jar],
        [a2.sessionId, jar],
        [a3.sessionId, jar],
      ]),
    });
    const shared = view.warnings.filter((w) => w.kind === 'shared-jar');
    expect(shared).toHaveLength(1);
    expect(shared[0]!.severity).toBe('error');
    expect(shared[0]!.message).toContain('Shared tab holds sessions of MASHUP\\a1 and MASHUP\\a2 on /ticket');
    expect(shared[0]!.message).toContain('X-Qlik-Session-ticket');
    expect(shared[0]!.rowKeys.sort()).toEqual([keys.of(a1), keys.of(a2)].sort());

    const apart = model([a1, a2], {
      holders: new Map([
        [a1.sessionId, jar],
        [a2.sessionId, { partitionId: 'ticket-10', label: 'Other' }],
      ]),
    });
    expect(apart.view.warnings.filter((w) => w.kind === 'shared-jar')).toEqual([]);
  });

  it('warns about session cookie names shared by virtual proxies', () => {
    const vps = [
      { prefix: '', sessionCookieHeaderName: 'X-Qlik-Session' },
      { prefix: 'a', sessionCookieHeaderName: 'X-Qlik-Session-app' },
      { prefix: 'b', sessionCookieHeaderName: 'X-Qlik-Session-app' },
    ];
    const onA = session('u', 'central', 'a');
    const { view } = model([onA, session('u', 'central', '')], { gathered: gathered([onA], vps) });
    const dup = view.warnings.filter((w) => w.kind === 'duplicate-cookie-name');
    expect(dup).toHaveLength(1);
    expect(dup[0]!.message).toContain('/a, /b all name their session cookie X-Qlik-Session-app');
    expect(dup[0]!.rowKeys).toEqual([keys.of(onA)]);
    expect(model([onA]).view.warnings.filter((w) => w.kind === 'duplicate-cookie-name')).toEqual([]);
  });

  it('shows a refused login as an error on the user it names', () => {
    const s = session('a1', 'central', 'ticket');
    const { view } = model([s], {
      refusals: [{ userDirectory: 'mashup', userId: 'A1', virtualProxy: 'ticket', nodeName: 'central', at: Date.parse('2025-02-01T09:59:00Z'), count: 5 }],
    });
    const refused = view.warnings.filter((w) => w.kind === 'refused-login');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.message).toContain('refused a new session for mashup\\A1 on /ticket (node central) at 09:59:00 UTC');
    expect(refused[0]!.message).toContain('held 5 sessions');
    expect(refused[0]!.rowKeys).toEqual([keys.of(s)]);
  });

  it('passes node/virtual proxy pairs that failed through', () => {
    const g = gathered([]);
    g.inventory.failures.push({ nodeName: 'rim1', prefix: 'ticket', code: 'TIMEOUT', message: 'QPS did not answer' });
    const { view } = model([], { gathered: g });
    expect(view.failures).toEqual([{ nodeName: 'rim1', virtualProxy: 'ticket', code: 'TIMEOUT', message: 'QPS did not answer' }]);
    expect(view.groups).toEqual([]);
  });
});

describe('inspector table helpers', () => {
  it('limitState', () => {
    expect([4, 5, 6].map((n) => limitState(n))).toEqual(['ok', 'at-limit', 'over-limit']);
  });

  it('flattens groups into user and session lines, collapsed users keep their heading', () => {
    const { view } = model([session('a1', 'central', ''), session('a1', 'rim1', ''), session('a2', 'central', '')]);
    expect(inspectorLines(view.groups).map((l) => l.kind)).toEqual(['user', 'session', 'session', 'user', 'session']);
    expect(inspectorLines(view.groups, new Set(['mashup\\a1'])).map((l) => l.kind)).toEqual(['user', 'user', 'session']);
  });

  it('computes the visible window with overscan, clamped to the list', () => {
    expect(visibleWindow(2000, 32, 0, 320, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleWindow(2000, 32, 3200, 320, 5)).toEqual({ start: 95, end: 116 });
    expect(visibleWindow(2000, 32, 1e9, 320, 5)).toEqual({ start: 1994, end: 2000 });
    expect(visibleWindow(0, 32, 0, 320)).toEqual({ start: 0, end: 0 });
  });
});
