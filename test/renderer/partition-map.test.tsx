// @vitest-environment happy-dom
// The partition map: jars -> windows -> session cookies -> QPS sessions -> users, a jar two users logged
// in through on one virtual proxy drawn as the conflict it is (the replaced user named, in words, not
// colour only), no cookie value anywhere, nothing drawn for no partitions, many windows counted.
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PartitionMap } from '../../renderer/src/components/PartitionMap';
import { partitionMap } from '../../shared/partition-map';
import type { PartitionCookieView, PartitionView } from '../../shared/partitions';

const VALUE_MASKED = 'a1b2••••••••';

function cookie(name: string, user?: string, virtualProxy = 'ticket'): PartitionCookieView {
  return {
    name,
    domain: 'localhost',
    path: '/',
    secure: true,
    httpOnly: true,
    valueMasked: VALUE_MASKED,
    session: { virtualProxy, otherVirtualProxies: [], suffix: '', sessionIdMasked: '7f3e••••', node: 'central', ...(user ? { user } : {}) },
  };
}

function partition(partitionId: string, overrides: Partial<PartitionView> = {}): PartitionView {
  return {
    partitionId,
    label: partitionId,
    kind: 'isolated',
    persistent: false,
    profileId: 'demo',
    createdAt: '2026-12-04T19:00:00.000Z',
    downloadsDir: `/tmp/${partitionId}`,
    windows: [{ url: 'https://localhost:8443/ticket/hub/' }],
    downloads: [],
    cookies: [],
    ...overrides,
  };
}

const alone = partition('ticket-1', {
  cookies: [cookie('X-Qlik-Session-ticket', 'DEMO\\alice')],
  logins: [{ virtualProxy: 'ticket', users: ['DEMO\\alice'] }],
});
const shared = partition('shared', {
  label: 'shared (seed 003)',
  kind: 'shared',
  windows: [{ url: 'https://localhost:8443/ticket/hub/' }, { url: 'https://localhost:8443/ticket/sense/app/1' }],
  cookies: [cookie('X-Qlik-Session-ticket', 'MASHUP\\a2-finance'), { ...cookie('NotQlik'), session: undefined } as PartitionCookieView],
  logins: [{ virtualProxy: 'ticket', users: ['MASHUP\\a1-sales', 'MASHUP\\a2-finance'] }],
});

describe('partition map', () => {
  afterEach(cleanup);

  it('links each jar to its windows, session cookies, sessions and users', () => {
    render(<PartitionMap partitions={[alone]} />);
    const svg = screen.getByRole('img', { name: /^Partition map: cookie jars, windows, session cookies, QPS sessions, users ticket-1:/ });
    const boxes = [...svg.querySelectorAll('.map-box')].map((b) => b.textContent);
    expect(boxes).toEqual(['ticket-1', '/ticket/hub/', 'X-Qlik-Session-ticket', '7f3e… on central', 'DEMO\\alice']);
    expect(svg.querySelectorAll('.map-edge')).toHaveLength(4);
    expect(svg.querySelectorAll('.map-conflict')).toHaveLength(0);
    expect(svg.querySelector('desc')!.textContent).toBe('ticket-1: 1 window, cookie X-Qlik-Session-ticket holds session 7f3e•••• on central of DEMO\\alice.');
  });

  it('draws a shared jar two users logged in through as a conflict, naming the replaced user', () => {
    render(<PartitionMap partitions={[alone, shared]} />);
    const svg = screen.getByRole('img', { name: /\(1 conflicting jar\) ticket-1/ });
    const band = svg.querySelector('.map-band-conflict')!;
    const conflicting = [...band.querySelectorAll('.map-box.map-conflict')].map((b) => b.textContent);
    expect(conflicting).toEqual(['⚠ shared (seed 003)', '2 users, one cookie', 'X-Qlik-Session-ticket', '⚠ MASHUP\\a1-sales (replaced)']);
    // The cookie's own user is drawn plainly; the replaced one hangs off the same cookie, dashed.
    expect([...band.querySelectorAll('.map-box:not(.map-conflict)')].map((b) => b.textContent)).toContain('MASHUP\\a2-finance');
    expect(band.querySelectorAll('.map-edge.map-conflict')).toHaveLength(1);
    // Only Qlik session cookies: NotQlik is left out. Both windows send the cookie.
    expect(band.textContent).not.toContain('NotQlik');
    expect(band.querySelectorAll('.map-edge:not(.map-conflict)')).toHaveLength(2 + 2 + 2);
    expect(svg.querySelector('desc')!.textContent).toContain(
      "shared (seed 003) (shared): 2 windows, cookie X-Qlik-Session-ticket holds session 7f3e•••• on central of MASHUP\\a2-finance; it replaced MASHUP\\a1-sales's; conflict: MASHUP\\a1-sales and MASHUP\\a2-finance share one jar on /ticket, every request runs as MASHUP\\a2-finance",
    );
    const table = screen.getByRole('table', { name: 'Partition map' });
    const row = within(table).getByRole('row', { name: /^shared \(seed 003\) \(shared\)/ });
    expect(row.className).toBe('failed');
    expect(row.textContent).toContain('conflict: MASHUP\\a1-sales and MASHUP\\a2-finance share one jar on /ticket');
  });

  it('never shows a cookie value, masked or not', () => {
    const { container } = render(<PartitionMap partitions={[alone, shared]} />);
    expect(container.textContent).not.toContain(VALUE_MASKED);
    expect(container.textContent).not.toContain('a1b2');
  });

  it('names the replaced user on the jar when its cookie cannot be read', () => {
    const closed = partition('shared', { kind: 'shared', windows: [], cookies: [], logins: [{ virtualProxy: '', users: ['DEMO\\a', 'DEMO\\b'] }] });
    const [jar] = partitionMap([closed]);
    expect(jar!.orphanReplaced).toEqual([{ virtualProxy: '', users: ['DEMO\\a'] }]);
    render(<PartitionMap partitions={[closed]} />);
    expect([...screen.getByRole('img').querySelectorAll('.map-conflict')].map((b) => b.textContent)).toContain('⚠ DEMO\\a (replaced)');
  });

  it('draws nothing for no partitions, and counts windows past three', () => {
    const { container } = render(<PartitionMap partitions={[]} />);
    expect(container.innerHTML).toBe('');
    const busy = partition('busy', { windows: Array.from({ length: 9 }, (_, i) => ({ url: `https://localhost/ticket/sense/app/${i}` })) });
    render(<PartitionMap partitions={[busy]} />);
    const texts = [...screen.getByRole('img').querySelectorAll('.map-box')].map((b) => b.textContent);
    expect(texts.filter((t) => t!.startsWith('/ticket/sense/app/'))).toHaveLength(3);
    expect(texts).toContain('+6 more windows');
    // The table lists every window.
    expect(within(screen.getByRole('table')).getByRole('row', { name: /^busy/ }).textContent).toContain('/ticket/sense/app/8');
  });
});
