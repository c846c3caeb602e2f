// The rules a simulated site enforces, on a hand-moved clock: single-use one-minute tickets bound to a
// node and virtual proxy, target ids, the site-wide parallel-session cap and the inactivity timeout.
import { beforeEach, describe, expect, it } from 'vitest';
import { demoSite } from '../../electron/simulator/demo-site';
import { parseSiteDescription } from '../../electron/simulator/site';
import { ManualClock, SiteState, TooManySessionsError, randomAlphanumeric } from '../../electron/simulator/state';

const alice = { userDirectory: 'DEMO', userId: 'alice' };

let clock: ManualClock;
let state: SiteState;

beforeEach(() => {
  clock = new ManualClock(1_700_000_000_000);
  state = new SiteState(demoSite(), clock);
});

describe('randomAlphanumeric', () => {
  it('gives the requested length from [A-Za-z0-9] and differs between calls', () => {
    const values = Array.from({ length: 50 }, () => randomAlphanumeric(16));
    for (const value of values) expect(value).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(new Set(values).size).toBe(values.length);
  });
});

describe('tickets', () => {
  it('redeem once: the second attempt is refused', () => {
    const ticket = state.issueTicket('node-central', 'vp-ticket', alice, [{ Group: 'A' }]);
    const first = state.redeemTicket('node-central', 'vp-ticket', ticket.ticket);
    expect(first).toMatchObject({ userId: 'alice', attributes: [{ Group: 'A' }] });
    expect(state.redeemTicket('node-central', 'vp-ticket', ticket.ticket)).toBeUndefined();
  });

  it('work up to 60 seconds and are refused after', () => {
    const inTime = state.issueTicket('node-central', 'vp-ticket', alice, []);
    const late = state.issueTicket('node-central', 'vp-ticket', alice, []);
    clock.advance(59_000);
    expect(state.redeemTicket('node-central', 'vp-ticket', inTime.ticket)).toBeDefined();
    clock.advance(2_000);
    expect(state.redeemTicket('node-central', 'vp-ticket', late.ticket)).toBeUndefined();
  });

  it('are refused on another node or virtual proxy, and spent by that attempt', () => {
    const forNode = state.issueTicket('node-central', 'vp-ticket', alice, []);
    expect(state.redeemTicket('node-rim1', 'vp-ticket', forNode.ticket)).toBeUndefined();
    expect(state.redeemTicket('node-central', 'vp-ticket', forNode.ticket)).toBeUndefined();

    const forVp = state.issueTicket('node-central', 'vp-ticket', alice, []);
    expect(state.redeemTicket('node-central', 'vp-default', forVp.ticket)).toBeUndefined();
    expect(state.redeemTicket('node-central', 'vp-ticket', forVp.ticket)).toBeUndefined();
  });

  it('refuse an unknown value', () => {
    expect(state.redeemTicket('node-central', 'vp-ticket', 'AAAAAAAAAAAAAAAA')).toBeUndefined();
  });

  it('carry the target URI of a known target id (any casing) and none for an unknown one', () => {
    const targetId = state.registerTarget('https://localhost/ticket/hub/');
    expect(state.issueTicket('node-central', 'vp-ticket', alice, [], targetId).targetUri).toBe('https://localhost/ticket/hub/');
    expect(state.issueTicket('node-central', 'vp-ticket', alice, [], targetId.toUpperCase()).targetUri).toBe('https://localhost/ticket/hub/');
    expect(state.issueTicket('node-central', 'vp-ticket', alice, [], '00000000-0000-0000-0000-000000000000').targetUri).toBeUndefined();
  });

  it('stop resolving a target id after 30 minutes', () => {
    const targetId = state.registerTarget('https://localhost/hub/');
    clock.advance(29 * 60_000);
    expect(state.resolveTarget(targetId)).toBe('https://localhost/hub/');
    clock.advance(2 * 60_000);
    expect(state.resolveTarget(targetId)).toBeUndefined();
  });
});

describe('virtual proxy binding', () => {
  it('finds a virtual proxy only on the nodes that link it', () => {
    expect(state.linkedVirtualProxy('node-central', 'header')?.id).toBe('vp-header');
    expect(state.linkedVirtualProxy('node-rim1', 'header')).toBeUndefined();
    expect(state.linkedVirtualProxy('node-rim1', '')?.id).toBe('vp-default');
    expect(state.linkedVirtualProxy('node-central', 'nope')).toBeUndefined();
    expect(state.linkedVirtualProxy('node-unknown', '')).toBeUndefined();
  });
});

describe('sessions', () => {
  it('live on the node that made them', () => {
    const session = state.createSession('node-central', 'vp-default', alice, []);
    expect(session.userName).toBe('Alice Analyst');
    expect(state.getSession('node-central', session.sessionId)?.userId).toBe('alice');
    expect(state.getSession('node-rim1', session.sessionId)).toBeUndefined();
    expect(state.getSession('node-central', session.sessionId, 'vp-ticket')).toBeUndefined();
    expect(state.listSessions('node-rim1')).toEqual([]);
  });

  it('cap a user at five across all nodes and virtual proxies; ending one frees a place', () => {
    const made = [
      state.createSession('node-central', 'vp-default', alice, []),
      state.createSession('node-central', 'vp-ticket', alice, []),
      state.createSession('node-central', 'vp-header', alice, []),
      state.createSession('node-rim1', 'vp-default', alice, []),
      state.createSession('node-rim1', 'vp-ticket', { userDirectory: 'demo', userId: 'ALICE' }, []),
    ];
    expect(state.countUserSessions(alice)).toBe(5);
    expect(() => state.createSession('node-rim1', 'vp-default', alice, [])).toThrow(TooManySessionsError);
    // Another user is not affected.
    expect(() => state.createSession('node-rim1', 'vp-default', { userDirectory: 'DEMO', userId: 'bob' }, [])).not.toThrow();
    state.deleteSession('node-central', made[0]!.sessionId);
    expect(() => state.createSession('node-rim1', 'vp-default', alice, [])).not.toThrow();
  });

  it('expire after the virtual proxy inactivity timeout unless touched', () => {
    const idle = state.createSession('node-central', 'vp-default', alice, []);
    const busy = state.createSession('node-central', 'vp-default', alice, []);
    clock.advance(29 * 60_000);
    expect(state.getSession('node-central', busy.sessionId, undefined, true)).toBeDefined();
    clock.advance(2 * 60_000);
    expect(state.getSession('node-central', idle.sessionId)).toBeUndefined();
    expect(state.getSession('node-central', busy.sessionId)).toBeDefined();
    expect(state.countUserSessions(alice)).toBe(1);
    clock.advance(31 * 60_000);
    state.expireInactive();
    expect(state.listSessions('node-central')).toEqual([]);
  });

  it('expired sessions stop counting toward the cap', () => {
    for (let i = 0; i < 5; i++) state.createSession('node-central', 'vp-default', alice, []);
    expect(() => state.createSession('node-central', 'vp-default', alice, [])).toThrow(TooManySessionsError);
    clock.advance(31 * 60_000);
    expect(() => state.createSession('node-central', 'vp-default', alice, [])).not.toThrow();
  });

  it('use each virtual proxy own timeout', () => {
    const site = parseSiteDescription({
      nodes: [{ id: 'n1', hostName: 'localhost' }],
      virtualProxies: [{ id: 'short', prefix: 'short', sessionInactivityTimeout: 1 }],
    });
    const short = new SiteState(site, clock);
    const quick = short.createSession('n1', 'short', alice, []);
    const normal = short.createSession('n1', 'vp-default', alice, []);
    clock.advance(2 * 60_000);
    expect(short.getSession('n1', quick.sessionId)).toBeUndefined();
    expect(short.getSession('n1', normal.sessionId)).toBeDefined();
  });

  it('list and end a user sessions per node and virtual proxy', () => {
    const a = state.createSession('node-central', 'vp-ticket', alice, []);
    state.createSession('node-central', 'vp-default', alice, []);
    state.createSession('node-rim1', 'vp-ticket', alice, []);
    expect(state.userSessions('node-central', alice, 'vp-ticket').map((s) => s.sessionId)).toEqual([a.sessionId]);
    expect(state.deleteUserSessions('node-central', alice, 'vp-ticket').map((s) => s.sessionId)).toEqual([a.sessionId]);
    expect(state.countUserSessions(alice)).toBe(2);
  });
});
