// @vitest-environment happy-dom
// The node x virtual proxy grid of the session inspector: one cell per pair with its count, a user at
// Qlik's parallel-session limit marked in words on every cell that holds them, the same grid as a table
// and a description; nothing drawn for no sessions; many nodes still one row each.
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionGridPicture } from '../../renderer/src/components/SessionGridPicture';
import { limitState, type SessionRowView, type SessionUserGroup } from '../../shared/sessions';
import { sessionGrid } from '../../shared/session-grid';

function group(userId: string, places: Array<[node: string, vp: string]>): SessionUserGroup {
  const rows = places.map(([nodeName, virtualProxy], i): SessionRowView => ({
    rowKey: `${userId}-${i}`,
    nodeName,
    virtualProxy,
    sessionIdMasked: '0000••••',
    userDirectory: 'DEMO',
    userId,
    createdByUsher: true,
  }));
  return { userDirectory: 'DEMO', userId, count: rows.length, limit: 5, state: limitState(rows.length), rows };
}

const bob = group('bob', [
  ['central', 'ticket'],
  ['central', 'ticket'],
  ['central', 'ticket'],
  ['rim1', 'ticket'],
  ['rim1', ''],
]);
const alice = group('alice', [['rim1', 'ticket']]);

describe('session grid', () => {
  afterEach(cleanup);

  it('counts each node/virtual proxy pair and marks every cell of a user at the limit', () => {
    const grid = sessionGrid([bob, alice], 5);
    expect(grid.nodes).toEqual(['central', 'rim1']);
    expect(grid.virtualProxies).toEqual(['', 'ticket']);
    expect(grid.cells.map((row) => row.map((c) => c.count))).toEqual([
      [0, 3],
      [1, 2],
    ]);
    // Qlik counts the limit across the site: bob's single session on rim1's default proxy is at the limit too.
    expect(grid.cells[1]![0]!.limited.map((u) => [u.user, u.here, u.siteCount])).toEqual([['DEMO\\bob', 1, 5]]);
    expect(grid.cells[1]![1]!.users.map((u) => u.user)).toEqual(['DEMO\\alice', 'DEMO\\bob']);
    expect(grid.total).toBe(6);
    expect(grid.max).toBe(3);
  });

  it('draws the counts and the limit mark, and says the same as a description and a table', () => {
    render(<SessionGridPicture groups={[bob, alice]} limit={5} />);
    const svg = screen.getByRole('img', { name: /^Sessions per node and virtual proxy \(limit 5 per user\)/ });
    const counts = [...svg.querySelectorAll('.grid-cell')].map((c) => c.querySelector('text')!.textContent);
    expect(counts).toEqual(['0', '3', '1', '2']);
    expect(svg.querySelectorAll('.grid-limited')).toHaveLength(3);
    // At the limit, not over it.
    expect(svg.querySelectorAll('.grid-over')).toHaveLength(0);
    expect([...svg.querySelectorAll('.grid-limit')].map((t) => t.textContent)).toEqual(['⚠ limit: DEMO\\bob', '⚠ limit: DEMO\\bob', '⚠ limit: DEMO\\bob']);
    expect(svg.querySelector('desc')!.textContent).toBe(
      '6 sessions on 2 nodes x 2 virtual proxies. node central /ticket: 3 sessions; at the limit: DEMO\\bob (5 of 5 on the site); node rim1 (default): 1 session; at the limit: DEMO\\bob (5 of 5 on the site); node rim1 /ticket: 2 sessions; at the limit: DEMO\\bob (5 of 5 on the site).',
    );
    const table = screen.getByRole('table', { name: /^Sessions per node and virtual proxy/ });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Node', '(default)', '/ticket']);
    const central = within(table).getByRole('row', { name: /^central/ });
    expect(
      within(central)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['0 sessions', '3 sessions; at the limit: DEMO\\bob (5 of 5 on the site)']);
  });

  it('says how many of the pairs asked hold sessions, since empty nodes and proxies are not drawn', () => {
    render(<SessionGridPicture groups={[bob, alice]} limit={5} pairs={6} />);
    expect(screen.getByText(/^Sessions on/).textContent).toBe(
      'Sessions on 3 of the 6 node/virtual proxy pairs asked; nodes and virtual proxies without any are not drawn.',
    );
  });

  it('marks no cell while every user is under the limit', () => {
    render(<SessionGridPicture groups={[alice, group('carol', [['central', 'ticket']])]} limit={5} />);
    const svg = screen.getByRole('img');
    expect(svg.querySelectorAll('.grid-limited')).toHaveLength(0);
    expect(svg.querySelector('desc')!.textContent).not.toMatch(/limit:/);
  });

  it('draws nothing for no sessions', () => {
    const { container } = render(<SessionGridPicture groups={[]} limit={5} />);
    expect(container.innerHTML).toBe('');
    expect(sessionGrid([], 5)).toMatchObject({ nodes: [], virtualProxies: [], total: 0, max: 0 });
  });

  it('keeps one row per node for many nodes, long names cut in the picture and whole in the table', () => {
    const nodes = Array.from({ length: 40 }, (_, i) => `node-${String(i).padStart(2, '0')}.a-rather-long-domain.example.com`);
    render(
      <SessionGridPicture
        groups={[
          group(
            'many',
            nodes.map((n) => [n, 'ticket']),
          ),
        ]}
        limit={5}
      />,
    );
    const svg = screen.getByRole('img');
    expect(svg.querySelectorAll('.grid-cell')).toHaveLength(40);
    expect(svg.getAttribute('viewBox')).toBe(`0 0 300 ${26 + 40 * 40}`);
    expect([...svg.querySelectorAll('.grid-head')].some((t) => t.textContent === 'node-00.a-rather-…')).toBe(true);
    expect(
      within(screen.getByRole('table'))
        .getAllByRole('rowheader')
        .map((h) => h.textContent),
    ).toContain(nodes[39]);
    // 40 sessions for one user: every cell holds a user over the limit, drawn as over it.
    expect(svg.querySelectorAll('.grid-limited.grid-over')).toHaveLength(40);
  });
});
