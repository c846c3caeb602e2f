// The sessions of a site as a node x virtual proxy grid in plain SVG: one cell per pair with its session
// count, shaded by how busy it is, and a cell holding a user at Qlik's parallel-session limit outlined in
// the warning colour (the fail colour when over it) with "⚠ limit" and the user's name (never colour alone). The picture is an image with a
// title and a description in words; the same grid is a table under it for whoever would rather read.
import { useId, useMemo } from 'react';
import { describeCell, describeGrid, sessionGrid, type GridCell } from '../../../shared/session-grid';
import { plural } from '../../../shared/plural';
import type { SessionUserGroup } from '../../../shared/sessions';
import { fitText as fit, prefixLabel } from '../format';
import { Table } from './Table';

const ROW_HEAD = 130;
const COL = 170;
const HEAD = 26;
const ROW = 40;

function Cell({ cell, x, y, max }: { cell: GridCell; x: number; y: number; max: number }) {
  const limited = cell.limited.length > 0;
  // Shading only hints at load; the number says it. Kept light so the text stays readable in both themes.
  const shade = max > 0 ? 0.08 + (0.3 * cell.count) / max : 0;
  return (
    <g className={`grid-cell${limited ? ' grid-limited' : ''}${cell.limited.some((u) => u.overLimit) ? ' grid-over' : ''}`}>
      <rect x={x + 2} y={y + 2} width={COL - 4} height={ROW - 4} rx={4} className="grid-box" />
      {cell.count > 0 ? <rect x={x + 2} y={y + 2} width={COL - 4} height={ROW - 4} rx={4} className="grid-fill" fillOpacity={shade} /> : null}
      <text x={x + COL / 2} y={y + (limited ? 18 : 25)} textAnchor="middle" className={cell.count === 0 ? 'grid-zero' : 'grid-count'}>
        {cell.count}
      </text>
      {limited ? (
        <text x={x + COL / 2} y={y + 32} textAnchor="middle" className="grid-limit">
          {fit(`⚠ limit: ${cell.limited[0]!.user}${cell.limited.length > 1 ? ` +${cell.limited.length - 1}` : ''}`, 26)}
        </text>
      ) : null}
    </g>
  );
}

/** `pairs`: how many node/virtual proxy pairs the inspector asked (the grid draws only those with sessions). */
export function SessionGridPicture({ groups, limit, pairs }: { groups: readonly SessionUserGroup[]; limit: number; pairs?: number }) {
  const id = useId();
  const grid = useMemo(() => sessionGrid(groups, limit), [groups, limit]);
  const title = `Sessions per node and virtual proxy (limit ${limit} per user)`;
  if (grid.total === 0) return null;
  const width = ROW_HEAD + COL * grid.virtualProxies.length;
  const height = HEAD + ROW * grid.nodes.length;
  return (
    <figure className="picture session-grid">
      <svg viewBox={`0 0 ${width} ${height}`} width={width} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{describeGrid(grid)}</desc>
        {grid.virtualProxies.map((vp, c) => (
          <text key={vp} x={ROW_HEAD + c * COL + COL / 2} y={17} textAnchor="middle" className="grid-head">
            {fit(prefixLabel(vp), 24)}
          </text>
        ))}
        {grid.nodes.map((node, r) => (
          <g key={node}>
            <text x={ROW_HEAD - 8} y={HEAD + r * ROW + 25} textAnchor="end" className="grid-head">
              {fit(node, 18)}
            </text>
            {grid.cells[r]!.map((cell, c) => (
              <Cell key={cell.virtualProxy} cell={cell} x={ROW_HEAD + c * COL} y={HEAD + r * ROW} max={grid.max} />
            ))}
          </g>
        ))}
      </svg>
      <figcaption>
        {pairs !== undefined ? (
          <p className="muted">
            Sessions on {grid.cells.flat().filter((c) => c.count > 0).length} of the {plural(pairs, 'node/virtual proxy pair')} asked; nodes and virtual proxies
            without any are not drawn.
          </p>
        ) : null}
        <details>
          <summary>{title} as a table</summary>
          <Table className="dense grid-table" caption={title} hiddenCaption columns={['Node', ...grid.virtualProxies.map(prefixLabel)]}>
            {grid.nodes.map((node, r) => (
              <tr key={node}>
                <th scope="row">{node}</th>
                {grid.cells[r]!.map((cell) => (
                  <td key={cell.virtualProxy} className={cell.limited.length > 0 ? 'warn-text' : undefined}>
                    {describeCell(cell, limit)}
                  </td>
                ))}
              </tr>
            ))}
          </Table>
        </details>
      </figcaption>
    </figure>
  );
}
