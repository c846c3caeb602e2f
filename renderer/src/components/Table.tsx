// A captioned table with one row of column headers: the shape every list on the console shares.
// The caption names the table for assistive technology; `hiddenCaption` keeps it off screen where a
// heading already says the same to sighted people. A column given as a `SortableHeader` is a button that
// sorts the table by it (keyboard: Tab to it, Enter or Space), its state said by aria-sort.
import type { ReactNode } from 'react';

export interface SortableHeader {
  label: string;
  sort: 'ascending' | 'descending' | 'none';
  onSort(): void;
}

interface Props {
  caption: ReactNode;
  hiddenCaption?: boolean;
  /** Header cells in order (scope="col"); a node for a header that is not plain text. */
  columns: Array<ReactNode | SortableHeader>;
  className?: string;
  /**
   * For a table that renders only some of its body rows (VirtualTable): how many rows it has in all,
   * header row included. Sets aria-rowcount, and aria-rowindex 1 on the header row.
   */
  rowCount?: number;
  /** The body rows (or several <tbody> groups, with `groups`). */
  children: ReactNode;
  /** The children are <tbody> elements of their own (a table grouped into row groups). */
  groups?: boolean;
}

function isSortable(column: ReactNode | SortableHeader): column is SortableHeader {
  return typeof column === 'object' && column !== null && 'onSort' in column;
}

const ARROWS = { ascending: ' ▲', descending: ' ▼', none: '' };

function HeaderCell({ column }: { column: ReactNode | SortableHeader }) {
  if (!isSortable(column)) return <th scope="col">{column}</th>;
  return (
    <th scope="col" aria-sort={column.sort}>
      <button type="button" className="sort-button" onClick={column.onSort}>
        {column.label}
        <span aria-hidden="true">{ARROWS[column.sort]}</span>
      </button>
    </th>
  );
}

export function Table({ caption, hiddenCaption, columns, className, rowCount, children, groups }: Props) {
  return (
    <table className={className} aria-rowcount={rowCount}>
      <caption className={hiddenCaption ? 'visually-hidden' : undefined}>{caption}</caption>
      <thead>
        <tr aria-rowindex={rowCount === undefined ? undefined : 1}>
          {columns.map((column, index) => (
            <HeaderCell key={index} column={column} />
          ))}
        </tr>
      </thead>
      {groups ? children : <tbody>{children}</tbody>}
    </table>
  );
}
