// The session inspector's sessions as a node x virtual proxy grid: how many sessions each pair holds and
// which of its users are at or over Qlik's parallel-session limit. Qlik counts that limit per user across
// the whole site, so a cell is marked when a user it holds has reached the limit anywhere, with the
// user's site-wide count. Pure: the renderer draws it, the tests feed it edge cases.
import { plural } from './plural';
import { formatUser } from './user';
import type { SessionUserGroup } from './sessions';
import { prefixLabel } from './virtual-proxy';

export interface GridUser {
  /** `DIR\id`. */
  user: string;
  /** This user's sessions in this cell. */
  here: number;
  /** This user's sessions on the whole site (what Qlik counts against the limit). */
  siteCount: number;
  atLimit: boolean;
  /** More sessions than the limit: Qlik's limit is not what Usher assumes, or sessions are counted late. */
  overLimit: boolean;
}

export interface GridCell {
  nodeName: string;
  virtualProxy: string;
  count: number;
  /** Users with sessions here, most sessions first. */
  users: GridUser[];
  /** Users here who have reached the limit. */
  limited: GridUser[];
}

export interface SessionGrid {
  nodes: string[];
  virtualProxies: string[];
  /** Row-major: cells[node index][virtual proxy index]. */
  cells: GridCell[][];
  total: number;
  limit: number;
  /** The most sessions in one cell (0 when there are none). */
  max: number;
}

const byName = (a: string, b: string): number => a.localeCompare(b);

export function sessionGrid(groups: readonly SessionUserGroup[], limit: number): SessionGrid {
  const nodes = [...new Set(groups.flatMap((g) => g.rows.map((r) => r.nodeName)))].sort(byName);
  const virtualProxies = [...new Set(groups.flatMap((g) => g.rows.map((r) => r.virtualProxy)))].sort(byName);
  const cells = nodes.map((nodeName) => virtualProxies.map((virtualProxy): GridCell => ({ nodeName, virtualProxy, count: 0, users: [], limited: [] })));
  for (const group of groups) {
    const perCell = new Map<GridCell, number>();
    for (const row of group.rows) {
      const cell = cells[nodes.indexOf(row.nodeName)]![virtualProxies.indexOf(row.virtualProxy)]!;
      cell.count += 1;
      perCell.set(cell, (perCell.get(cell) ?? 0) + 1);
    }
    for (const [cell, here] of perCell) {
      const user: GridUser = { user: formatUser(group), here, siteCount: group.count, atLimit: group.count >= limit, overLimit: group.count > limit };
      cell.users.push(user);
      if (user.atLimit) cell.limited.push(user);
    }
  }
  for (const cell of cells.flat()) cell.users.sort((a, b) => b.here - a.here || byName(a.user, b.user));
  const max = Math.max(0, ...cells.flat().map((c) => c.count));
  return { nodes, virtualProxies, cells, total: groups.reduce((n, g) => n + g.rows.length, 0), limit, max };
}

/** A cell in words: `3 sessions; at the limit: DEMO\bob (5 of 5 on the site)`. */
export function describeCell(cell: GridCell, limit: number): string {
  const count = plural(cell.count, 'session');
  if (cell.limited.length === 0) return count;
  return `${count}; at the limit: ${cell.limited.map((u) => `${u.user} (${u.siteCount} of ${limit} on the site)`).join(', ')}`;
}

/** The grid in one paragraph, for the picture's description. */
export function describeGrid(grid: SessionGrid): string {
  if (grid.total === 0) return 'No live sessions.';
  const lines = grid.cells
    .flat()
    .filter((c) => c.count > 0)
    .map((c) => `node ${c.nodeName} ${prefixLabel(c.virtualProxy)}: ${describeCell(c, grid.limit)}`);
  return `${plural(grid.total, 'session')} on ${plural(grid.nodes.length, 'node')} x ${plural(grid.virtualProxies.length, 'virtual proxy', 'virtual proxies')}. ${lines.join('; ')}.`;
}
